// Cart state, persisted in localStorage so a reload or a failed checkout
// never loses it. Quantities are always kept valid (integer 1..100), so what
// we send can't fail the API's quantity rules.

import { readJson, writeJson, onExternalChange } from './storage.js';

const CART_KEY = 'storefront.cart.v1';
export const MIN_QTY = 1;
export const MAX_QTY = 100;

const listeners = new Set();
let state = load();

export function clampQuantity(value) {
  const n = Math.trunc(Number(value));
  if (!Number.isFinite(n)) return MIN_QTY;
  return Math.min(MAX_QTY, Math.max(MIN_QTY, n));
}

// Stored data may be old or hand-edited: sanitise instead of trusting it.
function load() {
  const raw = readJson(CART_KEY, {});
  const seen = new Set();
  const lines = [];
  for (const line of Array.isArray(raw && raw.lines) ? raw.lines : []) {
    if (!line || typeof line.productId !== 'string' || !line.productId) continue;
    if (seen.has(line.productId)) continue; // the API requires unique ids
    seen.add(line.productId);
    lines.push({ productId: line.productId, quantity: clampQuantity(line.quantity) });
  }
  const note = typeof (raw && raw.note) === 'string' ? raw.note.slice(0, 500) : '';
  return { lines, note };
}

function save() {
  writeJson(CART_KEY, state);
  listeners.forEach((fn) => fn(getCart()));
}

onExternalChange(CART_KEY, () => {
  state = load();
  listeners.forEach((fn) => fn(getCart()));
});

export function getCart() {
  return { lines: state.lines.map((l) => ({ ...l })), note: state.note };
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function addItem(productId) {
  const line = state.lines.find((l) => l.productId === productId);
  if (line) line.quantity = clampQuantity(line.quantity + 1);
  else state.lines.push({ productId, quantity: 1 });
  save();
}

export function setQuantity(productId, quantity) {
  const line = state.lines.find((l) => l.productId === productId);
  if (!line) return;
  const next = clampQuantity(quantity);
  if (next === line.quantity) return;
  line.quantity = next;
  save();
}

// Returns what was removed ({ line, index }) so the caller can offer Undo.
export function removeItem(productId) {
  const index = state.lines.findIndex((l) => l.productId === productId);
  if (index === -1) return null;
  const [line] = state.lines.splice(index, 1);
  save();
  return { line: { ...line }, index };
}

// Undo of removeItem: the line goes back where it was, with its quantity.
export function restoreLine({ line, index }) {
  if (state.lines.some((l) => l.productId === line.productId)) return;
  state.lines.splice(Math.min(index, state.lines.length), 0, { productId: line.productId, quantity: clampQuantity(line.quantity) });
  save();
}

// Puts lines back into the cart (e.g. "order again"): a product already in
// the cart keeps the larger of the two quantities; the rest are appended.
export function addLines(lines) {
  for (const { productId, quantity } of lines) {
    if (typeof productId !== 'string' || !productId) continue;
    const line = state.lines.find((l) => l.productId === productId);
    if (line) line.quantity = Math.max(line.quantity, clampQuantity(quantity));
    else state.lines.push({ productId, quantity: clampQuantity(quantity) });
  }
  save();
}

// Removes several lines at once (the unavailable ones); returns how many.
export function removeItems(productIds) {
  const drop = new Set(productIds);
  const before = state.lines.length;
  state.lines = state.lines.filter((l) => !drop.has(l.productId));
  if (state.lines.length !== before) save();
  return before - state.lines.length;
}

// The draft note lives with the cart: it belongs to the order being built.
export function setNote(note) {
  state.note = String(note).slice(0, 500);
  writeJson(CART_KEY, state); // no re-render needed for typing
}

export function clearCart() {
  state = { lines: [], note: '' };
  save();
}
