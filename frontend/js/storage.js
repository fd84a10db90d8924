// localStorage wrapper: storage can throw (private mode, quota, disabled
// cookies), and a broken store must never take the whole page down.

export function readJson(key, fallback) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw == null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function writeJson(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: state still works for this page view.
  }
}

// Other tabs write the same keys; the "storage" event lets us follow them.
export function onExternalChange(key, callback) {
  window.addEventListener('storage', (event) => {
    if (event.key === key || event.key === null) callback();
  });
}
