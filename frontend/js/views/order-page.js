// #/orders/<id>: shows one order and polls until it's CONFIRMED or REJECTED.
// Everything comes from the URL + localStorage, so a reload picks up again.

import { h } from '../dom.js';
import { formatMoney, formatDateTime } from '../format.js';
import { errorInfo } from '../api.js';
import { pollOrder } from '../order-poller.js';
import { findRecentOrder, updateRecentStatus, FINAL_STATUSES as FINAL } from '../recent-orders.js';
import { showApiError, clearApiError } from '../banner.js';
import { statusClass } from './recent-list.js';

const MESSAGES = {
  CHECKING: 'Looking up this order…',
  PENDING: 'We have your order and are confirming it. This page updates by itself.',
  CONFIRMED: 'Your order is confirmed. Thank you!',
  REJECTED: 'Sorry, your order was rejected.',
  NOT_FOUND: "We couldn't find an order with this ID.",
};

function itemsTable(items, currency, catalog, priced) {
  const name = (item) => item.name || (catalog && catalog.byId.get(item.productId) || {}).name || item.productId;
  return h('table', { class: 'order-items' },
    h('caption', { class: 'visually-hidden' }, 'Items in this order'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'num' }, 'Qty'),
      priced ? h('th', { scope: 'col', class: 'num' }, 'Price') : null)),
    h('tbody', {}, items.map((item) => h('tr', { 'data-testid': 'order-item', 'data-product-id': item.productId },
      h('td', {}, name(item), Number.isInteger(item.unitPriceCents)
        ? h('span', { class: 'line-unit' }, `${formatMoney(item.unitPriceCents, currency)} each`) : null),
      h('td', { class: 'num' }, String(item.quantity)),
      priced ? h('td', { class: 'num' }, formatMoney(item.lineTotalCents, currency)) : null))));
}

export function createOrderPage({ orderId, api, catalog }) {
  const statusEl = h('span', { 'data-testid': 'order-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const message = h('p', { class: 'order-message', 'data-testid': 'order-message' });
  const reason = h('span', { 'data-testid': 'rejection-reason' });
  const reasonRow = h('p', { class: 'notice notice-error', hidden: true }, 'Reason: ', reason);
  const pollNote = h('p', { class: 'muted', 'data-testid': 'order-poll-note', hidden: true });
  const refresh = h('button', { type: 'button', class: 'button', 'data-testid': 'order-refresh', hidden: true, onclick: () => start() }, 'Check again');
  const meta = h('dl', { class: 'order-meta' });
  const details = h('div', { class: 'order-details' });
  const el = h('div', { class: 'page order-page' },
    h('h1', { tabindex: '-1' }, 'Your order'),
    h('section', { class: 'panel order-summary' },
      h('p', { class: 'order-status-line' }, 'Status: ', statusEl), message, reasonRow, pollNote, refresh, meta),
    details,
    h('p', {}, h('a', { href: '#/' }, 'Continue shopping'), ' · ', h('a', { href: '#/orders' }, 'Recent orders')));

  function setStatus(status) {
    statusEl.textContent = status;
    statusEl.className = statusClass(status);
    statusEl.dataset.status = status;
    message.textContent = MESSAGES[status] || '';
  }

  function setMeta(rows) {
    meta.replaceChildren(...rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  }

  function renderLocal(entry) {
    setMeta([['Order ID', orderId], ['Placed', formatDateTime(entry.createdAt)]]);
    details.replaceChildren(entry.items.length ? h('section', { class: 'panel' }, h('h2', {}, 'Items'),
      itemsTable(entry.items, catalog ? catalog.currency : 'EUR', catalog, false),
      h('p', { class: 'muted' }, 'Prices and the total appear once the order is confirmed.')) : '');
  }

  function renderOrder(order) {
    const currency = order.currency || 'EUR';
    setStatus(order.status);
    reason.textContent = order.rejectionReason || '';
    reasonRow.hidden = !(order.status === 'REJECTED' && order.rejectionReason);
    setMeta([['Order ID', order.orderId || orderId], ['Customer', order.customerId],
      ['Placed', formatDateTime(order.createdAt)], ['Updated', formatDateTime(order.updatedAt)], ['Note', order.note]]);
    const items = Array.isArray(order.items) ? order.items : [];
    const total = Number.isInteger(order.totalCents)
      ? h('p', { class: 'order-total-row' }, h('span', {}, 'Total'), h('strong', { 'data-testid': 'order-total' }, formatMoney(order.totalCents, currency)))
      : null;
    details.replaceChildren(h('section', { class: 'panel' }, h('h2', {}, 'Items'),
      itemsTable(items, currency, catalog, items.some((i) => Number.isInteger(i.lineTotalCents))), total));
  }

  function onResult(result) {
    if (result.kind === 'aborted') return true;
    if (result.kind === 'network') {
      showApiError('poll', "API unreachable: can't check the order status right now. Still trying…");
      return false;
    }
    const { status, data } = result;
    if (status === 200 && data && typeof data.status === 'string') {
      clearApiError('poll');
      renderOrder(data);
      if (!FINAL.has(data.status)) return false;
      updateRecentStatus(orderId, data.status);
      return true;
    }
    if (status === 404) {
      clearApiError('poll');
      // Right after placing, the order is still queued and unknown to the API.
      if (findRecentOrder(orderId)) { setStatus('PENDING'); return false; }
      setStatus('NOT_FOUND');
      refresh.hidden = false;
      return true;
    }
    if (status >= 500 || status === 408 || status === 429) {
      showApiError('poll', `The API had a problem (HTTP ${status}). Still trying…`);
      return false;
    }
    clearApiError('poll');
    setStatus('ERROR');
    message.textContent = errorInfo(data).message || `Couldn't load this order (HTTP ${status}).`;
    return true;
  }

  let stop = () => {};
  function start() {
    stop();
    refresh.hidden = true;
    pollNote.hidden = true;
    stop = pollOrder({
      fetchOnce: (signal) => api.getOrder(orderId, { signal }),
      onResult,
      onGiveUp: () => {
        pollNote.textContent = 'Still pending. Processing is taking longer than usual; refresh this page later.';
        pollNote.hidden = false;
        refresh.hidden = false;
      },
    });
  }

  const entry = findRecentOrder(orderId);
  setStatus(entry ? 'PENDING' : 'CHECKING');
  if (entry) renderLocal(entry);
  else setMeta([['Order ID', orderId]]);
  if (api) start();
  else {
    setStatus(entry ? 'PENDING' : 'ERROR');
    message.textContent = "The order status can't be checked: the store is not configured.";
  }

  return { el, destroy: () => { stop(); clearApiError('poll'); } };
}
