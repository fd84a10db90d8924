// List of orders placed from this browser. Used on the shop page (short) and
// on #/orders (full); it follows localStorage, including other tabs.

import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { orderHref } from '../router.js';
import { listRecentOrders, onRecentOrdersChange, updateRecentStatus, FINAL_STATUSES, NOT_FOUND } from '../recent-orders.js';

export function statusClass(status) {
  return `status-badge status-${String(status || 'unknown').toLowerCase().replace(/[^a-z_]/g, '')}`;
}

// What a status badge says: the API's status names, except our own states.
const LABELS = { NOT_FOUND: 'No such order', CHECKING: 'Checking…', ERROR: 'Error' };
export function statusLabel(status) {
  return LABELS[status] || status;
}

function entryLink(entry) {
  const when = formatDateTime(entry.createdAt);
  return h('li', { class: 'recent-item' },
    h('a', { href: orderHref(entry.orderId), class: 'recent-link', 'data-testid': 'recent-order', 'data-order-id': entry.orderId },
      h('span', { class: 'recent-id' }, h('span', { class: 'visually-hidden' }, 'Order '), entry.orderId),
      h('span', { class: 'recent-meta' },
        when ? h('span', {}, when) : null,
        h('span', { class: statusClass(entry.status), 'data-testid': 'recent-order-status' }, statusLabel(entry.status || 'PENDING')))));
}

export function createRecentList({ limit = 20, api = null } = {}) {
  const list = h('ul', { class: 'recent-list', role: 'list', 'data-testid': 'recent-orders' });
  const empty = h('p', { class: 'muted', 'data-testid': 'recent-empty' }, 'No orders placed from this browser yet.');
  const more = h('p', { class: 'muted' }, h('a', { href: '#/orders' }, 'See all recent orders'));

  function render(entries) {
    list.replaceChildren(...entries.slice(0, limit).map(entryLink));
    list.hidden = entries.length === 0;
    empty.hidden = entries.length > 0;
    more.hidden = entries.length <= limit;
  }

  // Statuses are only stored while an order page is open, so an order left
  // PENDING there would stay PENDING here forever: look those up once.
  // A 404 is definitive (the API answers PENDING for every accepted order).
  let refreshing = false;
  async function refresh() {
    if (!api || refreshing) return;
    refreshing = true;
    const stale = listRecentOrders().slice(0, limit).filter((e) => !FINAL_STATUSES.has(e.status) && e.status !== NOT_FOUND);
    await Promise.all(stale.map(async (entry) => {
      const result = await api.getOrder(entry.orderId);
      if (result.kind !== 'response') return;
      if (result.status === 404) updateRecentStatus(entry.orderId, NOT_FOUND);
      const status = result.status === 200 && result.data ? result.data.status : null;
      if (FINAL_STATUSES.has(status)) updateRecentStatus(entry.orderId, status);
    }));
    refreshing = false;
  }

  render(listRecentOrders());
  const destroy = onRecentOrdersChange(render);
  return { el: h('div', { class: 'recent' }, empty, list, more), destroy, refresh };
}
