// Hash routing, so the site works from a static bucket with no rewrites:
//   #/                 catalog + cart
//   #/orders           recent orders
//   #/orders/<orderId> one order

export function parseRoute(hash) {
  const path = hash.replace(/^#/, '') || '/';
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
