// The signed-in shopper's orders from GET /orders, newest first: the same on
// every device. Used on the shop page (the latest few) and on #/orders (all,
// a page at a time with "More"). Orders just placed in this tab that the API
// does not list yet are shown from recent-orders.js.

import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { orderHref, signInHref } from '../router.js';
import { withUnlisted, onRecentOrderAdded } from '../recent-orders.js';

export function statusClass(status) {
  return `status-badge status-${String(status || 'unknown').toLowerCase().replace(/[^a-z_]/g, '')}`;
}

// What a status badge says: the API's status names, except our own states.
const LABELS = { NOT_FOUND: 'No such order', CHECKING: 'Checking…', ERROR: 'Error', SIGNED_OUT: 'Signed out' };
export function statusLabel(status) {
  return LABELS[status] || status;
}

function entryLink(order) {
  const when = formatDateTime(order.createdAt);
  return h('li', { class: 'recent-item' },
    h('a', { href: orderHref(order.orderId), class: 'recent-link', 'data-testid': 'my-order', 'data-order-id': order.orderId },
      h('span', { class: 'recent-id' }, h('span', { class: 'visually-hidden' }, 'Order '), order.orderId),
      h('span', { class: 'recent-meta' },
        when ? h('span', {}, when) : null,
        h('span', { class: statusClass(order.status), 'data-testid': 'my-order-status' }, statusLabel(order.status || 'PENDING')))));
}

// paged: a "More" button fetches the next page; otherwise one short page and
// a link to #/orders.
export function createOrderList({ api, auth, pageSize = 10, paged = true }) {
  const list = h('ul', { class: 'recent-list', role: 'list', 'data-testid': 'my-orders' });
  const message = h('p', { class: 'muted', 'data-testid': 'my-orders-message', 'aria-live': 'polite' });
  const retry = h('button', { type: 'button', class: 'button', 'data-testid': 'my-orders-retry', hidden: true, onclick: () => load(cursor) }, 'Try again');
  const more = h('button', { type: 'button', class: 'button', 'data-testid': 'my-orders-more', hidden: true, onclick: () => load(cursor) }, 'More orders');
  const all = h('p', { hidden: true }, h('a', { href: '#/orders' }, 'See all your orders'));
  let cursor = null; // the next page's, from the API
  let controller = null;

  function say(text, ...extra) {
    message.replaceChildren(text, ...extra);
    message.hidden = !text && extra.length === 0;
  }

  async function load(from) {
    if (controller) controller.abort();
    controller = new AbortController();
    retry.hidden = true;
    more.disabled = true;
    if (!from) say('Loading your orders…');
    const result = await api.listOrders({ limit: pageSize, cursor: from }, { signal: controller.signal });
    more.disabled = false;
    if (result.kind === 'aborted') return;
    const ok = result.kind === 'response' && result.status === 200 && result.data && Array.isArray(result.data.orders);
    if (!ok) {
      if (result.kind === 'response' && result.status === 401) { signedOut(); return; }
      say(result.kind === 'network' ? "Couldn't reach the API to load your orders."
        : `Couldn't load your orders (HTTP ${result.status}).`);
      retry.hidden = false;
      return;
    }
    const orders = from ? result.data.orders : withUnlisted(result.data.orders);
    cursor = typeof result.data.nextCursor === 'string' && result.data.nextCursor ? result.data.nextCursor : null;
    if (!from) list.replaceChildren();
    const shown = new Set([...list.querySelectorAll('[data-order-id]')].map((a) => a.dataset.orderId));
    list.append(...orders.filter((o) => o && typeof o.orderId === 'string' && !shown.has(o.orderId)).map(entryLink));
    list.hidden = list.children.length === 0;
    say(list.children.length ? '' : 'You have no orders yet.');
    more.hidden = !paged || !cursor;
    all.hidden = paged || !cursor;
  }

  function signedOut() {
    if (controller) controller.abort();
    cursor = null;
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    all.hidden = true;
    retry.hidden = true;
    say('', h('a', { href: signInHref(), 'data-testid': 'my-orders-sign-in' }, 'Sign in'), ' to see your orders.');
  }

  // Loads the first page again for whoever is signed in now.
  function refresh() {
    if (!api) say("Your orders can't be loaded: the store is not configured.");
    else if (auth.shopper) load(null);
    else signedOut();
  }

  // A new order of this tab (e.g. an earlier checkout settled on load) is
  // shown at once, whatever the API lists yet.
  const stops = auth ? [auth.onChange(refresh), onRecentOrderAdded(refresh)] : [];
  return {
    el: h('div', { class: 'recent' }, message, retry, list, more, all),
    refresh,
    destroy: () => { stops.forEach((stop) => stop()); if (controller) controller.abort(); },
  };
}
