// For a REJECTED order: which lines were refused, by product name, and an
// "Order again without <names>" button that puts the other lines back in the
// cart and takes the shopper there. The cart is emptied at checkout, so the
// order itself is the copy of what was submitted.

import { h, announce } from '../dom.js';
import { addLines } from '../cart.js';
import { navigate } from '../router.js';
import { productName, lineProblem, listNames, PROBLEM_TEXT } from '../availability.js';

export function refusedCode(item) {
  return typeof item.rejectionCode === 'string' && item.rejectionCode ? item.rejectionCode : null;
}

// The server's rejectionCode per line; for orders stored without any, what
// today's catalog says about each line.
function refusedLines(items, catalog) {
  const coded = items.filter((i) => refusedCode(i));
  if (coded.length) return coded.map((i) => ({ item: i, code: refusedCode(i) }));
  return items.map((i) => ({ item: i, code: lineProblem(catalog, i.productId) })).filter((r) => r.code);
}

function goToCart() {
  // After the router has shown the shop (its hashchange listener runs first).
  window.addEventListener('hashchange', () => {
    const heading = document.getElementById('cart-heading');
    if (heading) { heading.scrollIntoView({ block: 'start' }); heading.focus({ preventScroll: true }); }
  }, { once: true });
  navigate('#/');
}

export function createOrderAgain(order, catalog) {
  const items = Array.isArray(order.items) ? order.items : [];
  const refused = refusedLines(items, catalog);
  if (!refused.length) return null;
  const refusedIds = new Set(refused.map((r) => r.item.productId));
  const keep = items.filter((i) => !refusedIds.has(i.productId));
  const name = (item) => item.name || productName(catalog, item.productId);
  const names = listNames([...new Set(refused.map((r) => name(r.item)))]);

  const list = h('ul', { class: 'refused-lines' }, refused.map(({ item, code }) => h('li', {
    'data-testid': 'refused-line', 'data-product-id': item.productId, 'data-code': code,
  }, `${name(item)} ${PROBLEM_TEXT[code] || "can't be ordered"}.`)));

  const action = keep.length
    ? h('button', {
      type: 'button', class: 'button button-primary', 'data-testid': 'order-again',
      onclick: () => {
        addLines(keep.map(({ productId, quantity }) => ({ productId, quantity })));
        announce(`Put ${keep.length} item${keep.length === 1 ? '' : 's'} back in your cart.`);
        goToCart();
      },
    }, `Order again without ${names}`)
    : h('p', { class: 'muted' }, 'None of the items can be ordered now. ', h('a', { href: '#/' }, 'Back to the shop'));

  return h('section', { class: 'panel order-again', 'data-testid': 'order-again-panel', 'aria-labelledby': 'order-again-heading' },
    h('h2', { id: 'order-again-heading' }, 'What could not be ordered'), list, action);
}
