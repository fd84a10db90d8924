// What the shopper is told about an earlier, unresolved checkout attempt of
// this tab (see checkout.js), and settling one on page load.

import { getCart, clearCart } from './cart.js';
import { rememberOrder } from './recent-orders.js';
import { orderHref } from './router.js';
import { showApiError, clearApiError } from './banner.js';
import { showNotice } from './notice.js';

// Shown on the earlier order's page after "Place order" found it made.
export const EARLIER_ORDER_SHOWN = 'Your earlier checkout went through; this is that order. '
  + 'Your cart is kept — you can cancel this order or place the new one.';

// Why an answer left an order undecided, for the messages below.
export function ambiguityReason(outcome) {
  if (outcome.type === 'network') {
    return outcome.timedOut ? 'no answer from the API within 10 seconds' : 'the API was unreachable';
  }
  return `the API had a problem${outcome.status ? ` (HTTP ${outcome.status})` : ''}`;
}

// After "Place order" with a changed cart: the new cart was not sent.
export function earlierUnconfirmedText(cause) {
  return `Your earlier checkout couldn't be confirmed yet (${ambiguityReason(cause)}): it may or may not have been placed,`
    + ' so your changed cart was not sent. Your cart is kept. Try again: the earlier checkout is checked first, so no'
    + ' order is made twice.';
}

export function rememberEarlierOrder(order, payload) {
  rememberOrder({ orderId: order.orderId, createdAt: order.createdAt, status: order.status, items: order.items || payload.items });
}

// Does the cart still hold exactly what the earlier attempt sent?
function cartHolds(payload) {
  const cart = getCart();
  const lines = cart.lines.map(({ productId, quantity }) => ({ productId, quantity }));
  return JSON.stringify(lines) === JSON.stringify(payload.items || [])
    && cart.note.trim() === (payload.note || '');
}

// Page load: replay an attempt a reload interrupted, in the background.
export async function settleEarlierCheckout(checkout) {
  const outcome = await checkout.resolvePending();
  if (outcome.type === 'earlier-accepted') {
    const { order, payload } = outcome;
    rememberEarlierOrder(order, payload);
    clearApiError('checkout');
    // The cart as it was sent is now an order: empty it, as after any order,
    // so "Place order" can't make the same order twice by mistake.
    const same = cartHolds(payload);
    if (same) clearCart();
    showNotice(`Your earlier checkout went through: order ${order.orderId} is in My orders. `
      + (same ? 'Your cart was emptied, as after any order.'
        : 'Your cart is kept — you can cancel that order or place the new one.'),
    { link: { href: orderHref(order.orderId), label: 'See that order' } });
  } else if (outcome.type === 'earlier-unconfirmed') {
    showApiError('checkout', `Your last checkout in this tab couldn't be confirmed yet (${ambiguityReason(outcome.cause)}):`
      + ' it may or may not have been placed. Your cart is kept. Placing an order checks it first, so no order is made twice.');
  } else if (outcome.type === 'earlier-refused') {
    clearApiError('checkout');
  }
  return outcome;
}
