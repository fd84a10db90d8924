// The cart's line list and total. Rows are reconciled by productId instead of
// re-rendered, so typing in a quantity box never loses focus.
// Lines the catalog says can't be ordered are flagged, left out of the total,
// and listed above the lines with a button that removes them all.
// A quantity of 0 removes the line, with Undo (cart-undo.js).

import { h, uid, announce } from '../dom.js';
import { formatMoney } from '../format.js';
import { setQuantity, removeItem, removeItems, clampQuantity, MIN_QTY, MAX_QTY } from '../cart.js';
import { lineProblem, listNames } from '../availability.js';
import { createCartUndo } from './cart-undo.js';

const LINE_WARNINGS = {
  PRODUCT_UNAVAILABLE: 'Unavailable now. Remove it to place your order.',
  UNKNOWN_PRODUCT: 'No longer in our catalog. Remove it to place your order.',
};

export function createCartLines(catalog, { onRemoved } = {}) {
  const currency = catalog ? catalog.currency : 'EUR';
  const productOf = (id) => (catalog ? catalog.byId.get(id) : undefined);
  const rows = new Map(); // productId -> row parts
  let lines = [];
  const undo = createCartUndo({ onRestored: (productId) => { const row = rows.get(productId); if (row) row.input.focus(); } });

  const unavailableText = h('span', { 'data-testid': 'cart-unavailable-text' });
  const unavailableNotice = h('div', { class: 'notice notice-warn cart-unavailable', 'data-testid': 'cart-unavailable', hidden: true },
    h('p', {}, unavailableText),
    h('button', {
      type: 'button', class: 'button', 'data-testid': 'remove-unavailable',
      onclick: () => {
        const names = unavailable().map((u) => u.name);
        removeItems(unavailable().map((u) => u.productId));
        announce(`Removed ${listNames(names)} from your cart.`);
        if (onRemoved) onRemoved();
      },
    }, 'Remove unavailable items'));

  const itemsErrorId = uid('items-error');
  const itemsError = h('p', { class: 'field-error', id: itemsErrorId, 'data-testid': 'field-error', 'data-field': 'items', hidden: true });
  const list = h('ul', { class: 'cart-lines', role: 'list', 'aria-describedby': itemsErrorId });
  const empty = h('p', { class: 'cart-empty', 'data-testid': 'cart-empty' }, 'Your cart is empty.');
  const total = h('strong', { 'data-testid': 'cart-total' });
  const totalNote = h('span', { class: 'total-note', hidden: true }, ' (excludes items that can’t be ordered or have no listed price)');
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
    const problem = lineProblem(catalog, productId);
    const warning = problem ? LINE_WARNINGS[problem] : null;

    // Live-update valid values; out-of-range ones are flagged, then clamped on
    // change. 0 is not an error: it removes the line on change.
    input.addEventListener('input', () => {
      const n = Number(input.value);
      if (input.value !== '' && n === 0) { setClientError(row, null); return; }
      const valid = input.value !== '' && Number.isInteger(n) && n >= MIN_QTY && n <= MAX_QTY;
      setClientError(row, valid ? null : `Enter a whole number from ${MIN_QTY} to ${MAX_QTY}.`);
      if (valid) setQuantity(productId, n);
    });
    input.addEventListener('change', () => commitRow(row));

    const remove = h('button', {
      type: 'button', class: 'button button-link', 'data-testid': 'cart-remove',
      onclick: () => undo.offer(removeItem(productId), name),
    }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${name}`));

    const li = h('li', {
      class: `cart-line${problem ? ' is-unavailable' : ''}`, 'data-testid': 'cart-line', 'data-product-id': productId,
      'data-unavailable': problem ? 'true' : null,
    },
      h('div', { class: 'line-head' },
        h('div', { class: 'line-info' },
          h('span', { class: 'line-name' }, name),
          h('span', { class: 'line-unit' }, product ? `${formatMoney(product.priceCents, currency)} each` : 'Price unknown')),
        lineTotal),
      warning ? h('p', { class: 'line-warning', 'data-testid': 'cart-line-warning' }, warning) : null,
      h('div', { class: 'line-controls' },
        h('label', { for: inputId, class: 'qty-label' }, 'Quantity', h('span', { class: 'visually-hidden' }, ` of ${name}`)),
        input, remove),
      errors);
    const row = { productId, name, problem, li, input, lineTotal, errors, clientError: null };
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
    if (row.input.value !== '' && typed === 0) {
      undo.offer(removeItem(row.productId), row.name);
      return;
    }
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
      if (product && !row.problem) sum += product.priceCents * line.quantity;
      else unpriced = true;
      row.lineTotal.textContent = product && !row.problem ? formatMoney(product.priceCents * line.quantity, currency) : '—';
    });
    empty.hidden = lines.length > 0;
    list.hidden = lines.length === 0;
    total.textContent = formatMoney(sum, currency);
    totalNote.hidden = !unpriced;
    const names = unavailable().map((u) => u.name);
    unavailableText.textContent = names.length
      ? `${listNames(names)} can't be ordered now. Remove ${names.length === 1 ? 'it' : 'them'} to place your order.`
      : '';
    unavailableNotice.hidden = names.length === 0;
    undo.sync(lines);
  }

  // The cart's lines the catalog says can't be ordered, in cart order.
  function unavailable() {
    return lines.map((l) => rows.get(l.productId)).filter((row) => row && row.problem)
      .map(({ productId, name, problem }) => ({ productId, name, problem }));
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

  const el = h('div', { class: 'cart-lines-wrap' }, itemsError, unavailableNotice, empty, list, undo.el, totalRow);
  return {
    el, update, showErrors, clearErrors, commitInputs, lineName, focusFor, unavailable,
    unavailableNotice, hideUndo: undo.hide,
  };
}
