// "Cancel order" on the order page, for PENDING and CONFIRMED orders. A
// second, explicit control in the page confirms it (no window.confirm: that
// can't be styled, tested or reached the same way by every shopper).
// POST /orders/{id}/cancel is safe to repeat, so a failed try can be retried.

import { h, uid } from '../dom.js';
import { errorInfo } from '../api.js';

const CANCELLABLE = new Set(['PENDING', 'CONFIRMED']);

export function createCancelControl({ orderId, api, onCancelled, onNotFound, onRefused }) {
  const questionId = uid('cancel-question');
  const open = h('button', { type: 'button', class: 'button', 'data-testid': 'cancel-order', onclick: () => ask() }, 'Cancel order');
  const yes = h('button', { type: 'button', class: 'button button-danger', 'data-testid': 'cancel-confirm', onclick: () => confirm() }, 'Yes, cancel this order');
  const no = h('button', { type: 'button', class: 'button', 'data-testid': 'cancel-keep', onclick: () => close(true) }, 'No, keep it');
  const question = h('p', { id: questionId, class: 'cancel-question' }, 'Cancel this order? This cannot be undone.');
  const confirmBox = h('div', { class: 'cancel-confirm', role: 'group', 'aria-labelledby': questionId, 'data-testid': 'cancel-confirm-box', hidden: true },
    question, h('div', { class: 'button-row' }, yes, no));
  const error = h('p', { class: 'notice notice-error', role: 'alert', tabindex: '-1', 'data-testid': 'cancel-error', hidden: true });
  const el = h('div', { class: 'cancel-control', hidden: true }, open, confirmBox, error);
  let busy = false;

  function ask() {
    error.hidden = true;
    open.hidden = true;
    confirmBox.hidden = false;
    no.focus(); // the safe choice first
  }

  function close(refocus) {
    confirmBox.hidden = true;
    open.hidden = false;
    if (refocus) open.focus();
  }

  // Focus goes to the message: the control that had it may be gone.
  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    error.focus();
  }

  function setBusy(value) {
    busy = value;
    yes.disabled = value;
    no.disabled = value;
    yes.textContent = value ? 'Cancelling…' : 'Yes, cancel this order';
  }

  async function confirm() {
    if (busy) return;
    setBusy(true);
    error.hidden = true;
    const result = await api.cancelOrder(orderId);
    setBusy(false);
    if (result.kind === 'aborted') return;
    if (result.kind === 'network') {
      showError(result.timedOut
        ? 'No answer from the API within 10 seconds. Your order may not be cancelled yet: try again.'
        : "Couldn't reach the API, so the order is not cancelled. Try again.");
      return;
    }
    const { status, data } = result;
    if (status === 200 && data && data.status === 'CANCELLED') {
      close(false);
      el.hidden = true;
      onCancelled(data);
      return;
    }
    const info = errorInfo(data);
    if (status === 404) { close(false); onNotFound(); return; }
    if (status === 401) {
      close(false);
      showError('You are signed out, so the order is not cancelled. Sign in again, then cancel it.');
      return;
    }
    if (status >= 500 || status === 429) {
      showError(`The API had a problem (HTTP ${status}), so the order is not cancelled. Try again.`);
      return;
    }
    // 409 ORDER_NOT_CANCELLABLE and the like: the server's own words.
    close(false);
    showError(info.message || `This order can't be cancelled (HTTP ${status}).`);
    if (onRefused) onRefused();
  }

  // Shown for the statuses that can be cancelled, once the API has said so.
  function update(status) {
    const show = CANCELLABLE.has(status);
    if (!show) close(false);
    el.hidden = !show && error.hidden;
    open.hidden = !show || !confirmBox.hidden;
  }

  return { el, update };
}
