// "Removed <product>. Undo" under the cart, after a line was removed (with its
// Remove button or by typing quantity 0). One removal can be undone: the
// latest. Undo puts the line back where it was, with its old quantity.

import { h, announce } from '../dom.js';
import { restoreLine } from '../cart.js';

export function createCartUndo({ onRestored } = {}) {
  let removed = null; // { line, index, name }
  const text = h('span', { 'data-testid': 'cart-undo-text' });
  const button = h('button', {
    type: 'button', class: 'button', 'data-testid': 'cart-undo',
    onclick: () => {
      if (!removed) return;
      const removal = removed;
      hide();
      restoreLine(removal);
      const { line, name } = removal;
      announce(`${name} is back in your cart.`);
      if (onRestored) onRestored(line.productId);
    },
  }, 'Undo');
  const el = h('p', { class: 'cart-undo notice', hidden: true }, text, ' ', button);

  function hide() {
    removed = null;
    el.hidden = true;
  }

  // Shows the offer and moves focus to Undo: the removed row (and any focus
  // it held) is gone.
  function offer(removal, name) {
    if (!removal) return;
    removed = { ...removal, name };
    text.textContent = `Removed ${name} from your cart.`;
    button.setAttribute('aria-label', `Undo: put ${name} back in your cart`);
    el.hidden = false;
    announce(`Removed ${name} from your cart. Undo is available.`);
    button.focus();
  }

  // A product back in the cart by another way (Add to cart) can't be restored.
  function sync(lines) {
    if (removed && lines.some((l) => l.productId === removed.line.productId)) hide();
  }

  return { el, offer, hide, sync };
}
