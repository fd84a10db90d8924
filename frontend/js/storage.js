// localStorage (and sessionStorage) wrapper: storage can throw (private
// mode, quota, disabled cookies), and a broken store must never take the
// whole page down.

function area(name) {
  return name === 'session' ? window.sessionStorage : window.localStorage;
}

export function readJson(key, fallback, where = 'local') {
  try {
    const raw = area(where).getItem(key);
    return raw == null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function writeJson(key, value, where = 'local') {
  try {
    area(where).setItem(key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: state still works for this page view.
  }
}

export function removeKey(key, where = 'local') {
  try {
    area(where).removeItem(key);
  } catch {
    // Disabled storage: nothing was kept there.
  }
}

// Other tabs write the same keys; the "storage" event lets us follow them.
export function onExternalChange(key, callback) {
  window.addEventListener('storage', (event) => {
    if (event.key === key || event.key === null) callback();
  });
}
