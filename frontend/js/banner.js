// The page-wide `api-error` banner: for "we couldn't talk to the API" cases
// (missing config, network failure, timeout, 5xx). Each source sets/clears its
// own message, so a successful poll doesn't hide a config problem.

const messages = new Map();
let banner = null;

export function initBanner(el) {
  banner = el;
  el.querySelector('.banner-dismiss').addEventListener('click', () => {
    // The config problem can't be fixed by the user, so it stays visible.
    for (const source of messages.keys()) if (source !== 'config') messages.delete(source);
    render();
  });
}

export function showApiError(source, message) {
  messages.set(source, message);
  render();
}

export function clearApiError(source) {
  if (messages.delete(source)) render();
}

function render() {
  if (!banner) return;
  const list = banner.querySelector('.banner-messages');
  list.replaceChildren(
    ...[...messages.values()].map((text) => {
      const p = document.createElement('p');
      p.textContent = text;
      return p;
    }),
  );
  banner.hidden = messages.size === 0;
  // Nothing to dismiss when the only problem is the (permanent) config one.
  banner.querySelector('.banner-dismiss').hidden = ![...messages.keys()].some((s) => s !== 'config');
}
