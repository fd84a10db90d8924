// #/orders/<id>: shows one order and polls until it's CONFIRMED or REJECTED;
// PENDING and CONFIRMED orders can be cancelled here. Everything comes from
// the URL + this tab's storage, so a reload picks up again. The API answers
// PENDING for every accepted order, so a 404 means there is no such order, or
// none of the signed-in shopper's: the two look the same. Signed out, the page
// asks to sign in and comes back here.

import { h } from '../dom.js';
import { formatMoney, formatDateTime } from '../format.js';
import { errorInfo } from '../api.js';
import { pollOrder } from '../order-poller.js';
import { findRecentOrder, updateRecentStatus, FINAL_STATUSES as FINAL, NOT_FOUND } from '../recent-orders.js';
import { showApiError, clearApiError } from '../banner.js';
import { productName, PROBLEM_LABEL } from '../availability.js';
import { statusClass, statusLabel } from './order-list.js';
import { signInHref, orderHref } from '../router.js';
import { createCancelControl } from './cancel-control.js';
import { createOrderAgain, refusedCode } from './order-again.js';

const MESSAGES = {
  CHECKING: 'Looking up this order…',
  PENDING: 'We have your order and are confirming it. This page updates by itself.',
  CONFIRMED: 'Your order is confirmed. Thank you!',
  REJECTED: 'Sorry, your order was rejected.',
  CANCELLED: 'This order was cancelled.',
  NOT_FOUND: 'There is no order with this ID. Check the link, or go back to the shop.',
};
const STOPPED = {
  PENDING: 'We have your order, but confirming it is taking longer than usual. This page has stopped checking: use "Check again" for the latest status.',
  CHECKING: 'This page has stopped checking the order. Use "Check again" to try once more.',
};

function itemsTable(items, currency, catalog, priced) {
  const name = (item) => item.name || productName(catalog, item.productId);
  return h('table', { class: 'order-items' },
    h('caption', { class: 'visually-hidden' }, 'Items in this order'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'num' }, 'Qty'),
      priced ? h('th', { scope: 'col', class: 'num' }, 'Price') : null)),
    h('tbody', {}, items.map((item) => h('tr', { 'data-testid': 'order-item', 'data-product-id': item.productId },
      h('td', {}, name(item), Number.isInteger(item.unitPriceCents)
        ? h('span', { class: 'line-unit' }, `${formatMoney(item.unitPriceCents, currency)} each`) : null,
      refusedCode(item) ? h('span', { class: 'line-warning', 'data-testid': 'order-item-refused' },
        `Not ordered: ${PROBLEM_LABEL[refusedCode(item)] || 'refused'}`) : null),
      h('td', { class: 'num' }, String(item.quantity)),
      priced ? h('td', { class: 'num' }, formatMoney(item.lineTotalCents, currency)) : null))));
}

export function createOrderPage({ orderId, api, auth, catalog }) {
  const heading = h('h1', { tabindex: '-1' }, 'Your order');
  const statusEl = h('span', { 'data-testid': 'order-status', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const message = h('p', { class: 'order-message', 'data-testid': 'order-message' });
  const reason = h('span', { 'data-testid': 'rejection-reason' });
  const reasonRow = h('p', { class: 'notice notice-error', hidden: true }, 'Reason: ', reason);
  const back = h('p', { hidden: true }, h('a', { href: '#/', class: 'button', 'data-testid': 'order-back-to-shop' }, 'Back to the shop'));
  const refresh = h('button', { type: 'button', class: 'button', 'data-testid': 'order-refresh', hidden: true, onclick: () => start() }, 'Check again');
  const cancel = api ? createCancelControl({
    orderId, api, onCancelled: (order) => { stop(); shown(order); heading.focus(); }, onNotFound: () => notFound(), onRefused: () => start(),
  }) : null;
  const meta = h('dl', { class: 'order-meta' });
  const details = h('div', { class: 'order-details' });
  const el = h('div', { class: 'page order-page' },
    heading,
    h('section', { class: 'panel order-summary' },
      h('p', { class: 'order-status-line' }, 'Status: ', statusEl), message, reasonRow, back, refresh,
      cancel ? cancel.el : null, meta),
    details,
    h('p', {}, h('a', { href: '#/' }, 'Continue shopping'), ' · ', h('a', { href: '#/orders' }, 'My orders')));

  function setStatus(status) {
    statusEl.textContent = statusLabel(status);
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

  function cancelledTime(order, testId) {
    const when = order.cancelledAt ? formatDateTime(order.cancelledAt) : '';
    return when ? h('time', { datetime: order.cancelledAt, 'data-testid': testId }, when) : null;
  }

  function renderOrder(order) {
    const currency = order.currency || 'EUR';
    setStatus(order.status);
    heading.textContent = 'Your order';
    back.hidden = true;
    if (order.status === 'CANCELLED' && order.cancelledAt) {
      message.replaceChildren('This order was cancelled on ', cancelledTime(order, 'order-cancelled-at'), '.');
    }
    reason.textContent = order.rejectionReason || '';
    reasonRow.hidden = !(order.status === 'REJECTED' && order.rejectionReason);
    setMeta([['Order ID', order.orderId || orderId],
      ['Placed', formatDateTime(order.createdAt)], ['Updated', formatDateTime(order.updatedAt)],
      ['Cancelled', cancelledTime(order, null)], ['Note', order.note]]);
    const items = Array.isArray(order.items) ? order.items : [];
    const total = Number.isInteger(order.totalCents)
      ? h('p', { class: 'order-total-row' }, h('span', {}, 'Total'), h('strong', { 'data-testid': 'order-total' }, formatMoney(order.totalCents, currency)))
      : null;
    const unpriced = order.status === 'PENDING'
      ? h('p', { class: 'muted' }, 'Prices and the total appear once the order is confirmed.') : null;
    details.replaceChildren(h('section', { class: 'panel' }, h('h2', {}, 'Items'),
      itemsTable(items, currency, catalog, items.some((i) => Number.isInteger(i.lineTotalCents))), total, unpriced),
      order.status === 'REJECTED' ? createOrderAgain(order, catalog) || '' : '');
    if (cancel) cancel.update(order.status);
  }

  // An order the API answered with: shown, and its status remembered in this tab.
  function shown(order) {
    renderOrder(order);
    updateRecentStatus(orderId, order.status);
  }

  // Signed out (or the session could not be renewed): nothing is shown.
  function signInFirst() {
    stop();
    setStatus('SIGNED_OUT');
    heading.textContent = 'Sign in to see this order';
    message.replaceChildren(h('a', { href: signInHref(orderHref(orderId)), 'data-testid': 'order-sign-in' }, 'Sign in'),
      ' with the account that placed this order to see it.');
    reasonRow.hidden = true;
    details.replaceChildren();
    setMeta([['Order ID', orderId]]);
    if (cancel) cancel.update('SIGNED_OUT');
  }

  function notFound() {
    stop();
    setStatus(NOT_FOUND);
    heading.textContent = 'No such order';
    reasonRow.hidden = true;
    back.hidden = false;
    details.replaceChildren();
    setMeta([['Order ID', orderId]]);
    if (cancel) cancel.update(NOT_FOUND);
    updateRecentStatus(orderId, NOT_FOUND);
  }

  let troubled = false; // the last poll failed: the banner says "Still trying…"
  function onResult(result) {
    if (result.kind === 'aborted') return true;
    troubled = result.kind === 'network' || result.status >= 500 || result.status === 408 || result.status === 429;
    if (result.kind === 'network') {
      showApiError('poll', "API unreachable: can't check the order status right now. Still trying…");
      return false;
    }
    const { status, data } = result;
    if (status === 200 && data && typeof data.status === 'string') {
      clearApiError('poll');
      shown(data);
      return FINAL.has(data.status);
    }
    if (status === 404) {
      clearApiError('poll');
      notFound();
      return true;
    }
    if (status === 401) {
      clearApiError('poll');
      signInFirst();
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

  let stopPolling = () => {};
  function stop() { stopPolling(); }
  function start() {
    stop();
    refresh.hidden = true;
    if (statusEl.dataset.status === 'PENDING') message.textContent = MESSAGES.PENDING;
    stopPolling = pollOrder({
      fetchOnce: (signal) => api.getOrder(orderId, { signal }),
      onResult,
      onGiveUp: () => {
        // Never claim "updates by itself" once it doesn't.
        const status = statusEl.dataset.status;
        message.textContent = STOPPED[status] || 'This page has stopped checking the order.';
        if (troubled) showApiError('poll', 'The API could not be reached, so this page has stopped checking the order. Use "Check again" later.');
        refresh.hidden = false;
      },
    });
  }

  const entry = findRecentOrder(orderId);
  // What this browser last saw (PENDING from the checkout's answer) until the API answers.
  const known = entry && entry.status && entry.status !== NOT_FOUND ? entry.status : null;
  setStatus(known || 'CHECKING');
  if (entry) renderLocal(entry);
  else setMeta([['Order ID', orderId]]);
  if (api && !auth.shopper) signInFirst();
  else if (api) start();
  else {
    setStatus(known || 'ERROR');
    message.textContent = "The order status can't be checked: the store is not configured.";
  }

  return { el, destroy: () => { stop(); clearApiError('poll'); } };
}
