// The cart's line list and total. Rows are reconciled by productId instead of
// re-rendered, so typing in a quantity box never loses focus.

import { h, uid, announce } from '../dom.js';
import { formatMoney } from '../format.js';
import { setQuantity, removeItem, clampQuantity, MIN_QTY, MAX_QTY } from '../cart.js';

export function createCartLines(catalog, { onRemoved } = {}) {
  const currency = catalog ? catalog.currency : 'EUR';
  const productOf = (id) => (catalog ? catalog.byId.get(id) : undefined);
  const rows = new Map(); // productId -> row parts
  let lines = [];

  const itemsErrorId = uid('items-error');
  const itemsError = h('p', { class: 'field-error', id: itemsErrorId, 'data-testid': 'field-error', 'data-field': 'items', hidden: true });
  const list = h('ul', { class: 'cart-lines', role: 'list', 'aria-describedby': itemsErrorId });
  const empty = h('p', { class: 'cart-empty', 'data-testid': 'cart-empty' }, 'Your cart is empty.');
  const total = h('strong', { 'data-testid': 'cart-total' });
  const totalNote = h('span', { class: 'total-note', hidden: true }, ' (excludes items without a listed price)');
  const totalRow = h('p', { class: 'cart-total' }, h('span', {}, 'Total'), h('span', {}, total, totalNote));

  function buildRow(productId) {
    const product = productOf(productId);
    const name = product ? product.name : productId;
    const inputId = uid('qty');
    const errorsId = uid('line-errors');
    const input = h('input', {
      id: inputId, type: 'number', inputmode: 'numeric', min: MIN_QTY, max: MAX_QTY, step: 1,
      required: true, class: 'qty-input', 'data-testid': 'cart-qty', 'aria-describedby': errorsId,
    });
    const errors = h('div', { class: 'line-errors', id: errorsId });
    const lineTotal = h('span', { class: 'line-total', 'data-testid': 'cart-line-total' });
    let warning = null;
    if (!product) warning = 'Not in the current catalog; the order may be rejected.';
    else if (product.available === false) warning = 'Currently unavailable; the order may be rejected.';

    // Live-update valid values; out-of-range ones are flagged, then clamped on change.
    input.addEventListener('input', () => {
      const n = Number(input.value);
      const valid = input.value !== '' && Number.isInteger(n) && n >= MIN_QTY && n <= MAX_QTY;
      setClientError(row, valid ? null : `Enter a whole number from ${MIN_QTY} to ${MAX_QTY}.`);
      if (valid) setQuantity(productId, n);
    });
    input.addEventListener('change', () => commitRow(row));

    const remove = h('button', {
      type: 'button', class: 'button button-link', 'data-testid': 'cart-remove',
      onclick: () => {
        removeItem(productId);
        announce(`Removed ${name} from your cart.`);
        if (onRemoved) onRemoved();
      },
    }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${name}`));

    const li = h('li', { class: 'cart-line', 'data-testid': 'cart-line', 'data-product-id': productId },
      h('div', { class: 'line-head' },
        h('div', { class: 'line-info' },
          h('span', { class: 'line-name' }, name),
          h('span', { class: 'line-unit' }, product ? `${formatMoney(product.priceCents, currency)} each` : 'Price unknown')),
        lineTotal),
      warning ? h('p', { class: 'line-warning' }, warning) : null,
      h('div', { class: 'line-controls' },
        h('label', { for: inputId, class: 'qty-label' }, 'Quantity', h('span', { class: 'visually-hidden' }, ` of ${name}`)),
        input, remove),
      errors);
    const row = { productId, name, li, input, lineTotal, errors, clientError: null };
    return row;
  }

  function setClientError(row, message) {
    if (row.clientError) row.clientError.remove();
    row.clientError = null;
    if (message) {
      row.input.setAttribute('aria-invalid', 'true');
      row.clientError = h('p', { class: 'field-error', 'data-testid': 'field-error', 'data-field': `items.${lines.findIndex((l) => l.productId === row.productId)}.quantity` }, message);
      row.errors.append(row.clientError);
    } else {
      row.input.removeAttribute('aria-invalid');
    }
  }

  function commitRow(row) {
    // An emptied box goes back to the stored quantity rather than guessing.
    const current = (lines.find((l) => l.productId === row.productId) || {}).quantity;
    const typed = Number(row.input.value);
    const qty = row.input.value === '' || !Number.isFinite(typed) ? clampQuantity(current) : clampQuantity(typed);
    row.input.value = String(qty);
    setClientError(row, null);
    setQuantity(row.productId, qty);
  }

  function update(cart) {
    lines = cart.lines;
    const present = new Set(lines.map((l) => l.productId));
    for (const [id, row] of rows) if (!present.has(id)) { row.li.remove(); rows.delete(id); }
    let sum = 0;
    let unpriced = false;
    lines.forEach((line, index) => {
      let row = rows.get(line.productId);
      if (!row) { row = buildRow(line.productId); rows.set(line.productId, row); }
      if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);
      // Don't fight the user mid-typing; the change handler settles the value.
      if (document.activeElement !== row.input) row.input.value = String(line.quantity);
      const product = productOf(line.productId);
      if (product) sum += product.priceCents * line.quantity;
      else unpriced = true;
      row.lineTotal.textContent = product ? formatMoney(product.priceCents * line.quantity, currency) : '—';
    });
    empty.hidden = lines.length > 0;
    list.hidden = lines.length === 0;
    total.textContent = formatMoney(sum, currency);
    totalNote.hidden = !unpriced;
  }

  // Server-side (or client-side) errors for items.N.* go under line N.
  function showErrors(byField) {
    clearErrors();
    const shown = [];
    for (const [key, messages] of byField) {
      const match = key.match(/^items\.(\d+)(?:\.|$)/);
      const row = match ? rows.get((lines[Number(match[1])] || {}).productId) : null;
      const target = row ? row.errors : key === 'items' || match ? itemsError : null;
      if (!target) continue;
      const message = messages.join(' ');
      if (target === itemsError) {
        itemsError.textContent = [itemsError.textContent, message].filter(Boolean).join(' ');
        itemsError.hidden = false;
      } else {
        target.append(h('p', { class: 'field-error', 'data-testid': 'field-error', 'data-field': key }, message));
        row.input.setAttribute('aria-invalid', 'true');
      }
      shown.push(key);
    }
    return shown;
  }

  function clearErrors() {
    itemsError.textContent = '';
    itemsError.hidden = true;
    for (const row of rows.values()) {
      row.errors.replaceChildren();
      row.clientError = null;
      row.input.removeAttribute('aria-invalid');
    }
  }

  // Settle any half-typed quantities before building the order.
  function commitInputs() {
    for (const row of rows.values()) commitRow(row);
  }

  const lineName = (index) => (rows.get((lines[index] || {}).productId) || {}).name;
  const focusFor = (key) => {
    const match = key.match(/^items\.(\d+)/);
    const row = match ? rows.get((lines[Number(match[1])] || {}).productId) : null;
    return row ? row.input : null;
  };

  const el = h('div', { class: 'cart-lines-wrap' }, itemsError, empty, list, totalRow);
  return { el, update, showErrors, clearErrors, commitInputs, lineName, focusFor };
}
