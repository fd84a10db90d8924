// Hash routing, so the site works from a static bucket with no rewrites:
//   #/                 catalog + cart
//   #/orders           my orders (the signed-in shopper's)
//   #/orders/<orderId> one order
//   #/account?next=<route>      sign in (or confirm an account); then <route>
//   #/account/new?next=<route>  create an account, confirm it, signed in; then <route>

export function parseRoute(hash) {
  const path = hash.replace(/^#/, '') || '/';
  const account = path.match(/^\/account(\/new)?\/?(?:\?next=(.*))?$/);
  if (account) return { name: 'account', mode: account[1] ? 'sign-up' : 'sign-in', next: safeNext(account[2]) };
  if (/^\/orders\/?$/.test(path)) return { name: 'orders' };
  const match = path.match(/^\/orders\/([^/?#]+)\/?$/);
  if (match) {
    let orderId = match[1];
    try {
      orderId = decodeURIComponent(orderId);
    } catch {
      // Malformed escape: use it raw; the API will simply 404.
    }
    return { name: 'order', orderId };
  }
  return { name: 'shop' };
}

// Where to go after signing in: one of our own routes, nothing else.
function safeNext(value) {
  let next = '/';
  try {
    next = value ? decodeURIComponent(value) : '/';
  } catch {
    return '#/';
  }
  return /^\/(orders(\/[^/?#]+)?)?$/.test(next) ? `#${next}` : '#/';
}

// The account page, coming back to `returnTo` (a hash, e.g. an order's) after.
export function signInHref(returnTo = '#/', mode = 'sign-in') {
  const next = returnTo.replace(/^#/, '');
  const page = mode === 'sign-up' ? '#/account/new' : '#/account';
  return next && next !== '/' ? `${page}?next=${encodeURIComponent(next)}` : page;
}

export function orderHref(orderId) {
  return `#/orders/${encodeURIComponent(orderId)}`;
}

export function navigate(hash) {
  if (window.location.hash === hash) return;
  window.location.hash = hash;
}

export function startRouter(onRoute) {
  const run = () => onRoute(parseRoute(window.location.hash));
  window.addEventListener('hashchange', run);
  run();
}
