// "Recent orders" placed from this browser, newest first, capped at 20, with
// the last status seen. The items are kept so the order page can show what
// was ordered before the API answers.

import { readJson, writeJson, onExternalChange } from './storage.js';

const KEY = 'storefront.recentOrders.v1';
const MAX = 20;
// Statuses after which polling stops. A CONFIRMED order can still be
// cancelled, but only by the shopper (the order page shows that answer).
export const FINAL_STATUSES = new Set(['CONFIRMED', 'REJECTED', 'CANCELLED']);
// An order the API does not know (e.g. remembered from before a local
// restart): nothing more to ask about it.
export const NOT_FOUND = 'NOT_FOUND';
const listeners = new Set();

function isEntry(e) {
  return e && typeof e.orderId === 'string' && e.orderId !== '';
}

export function listRecentOrders() {
  const raw = readJson(KEY, []);
  return (Array.isArray(raw) ? raw.filter(isEntry) : []).slice(0, MAX);
}

function save(list) {
  writeJson(KEY, list.slice(0, MAX));
  listeners.forEach((fn) => fn(listRecentOrders()));
}

onExternalChange(KEY, () => listeners.forEach((fn) => fn(listRecentOrders())));

export function onRecentOrdersChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function findRecentOrder(orderId) {
  return listRecentOrders().find((e) => e.orderId === orderId) || null;
}

// Items are kept so the order page can show what was ordered while pending.
export function rememberOrder({ orderId, createdAt, status, items }) {
  const entry = {
    orderId,
    createdAt: typeof createdAt === 'string' ? createdAt : new Date().toISOString(),
    status: typeof status === 'string' ? status : 'PENDING',
    items: Array.isArray(items)
      ? items.map(({ productId, quantity }) => ({ productId, quantity }))
      : [],
  };
  save([entry, ...listRecentOrders().filter((e) => e.orderId !== orderId)]);
}

export function updateRecentStatus(orderId, status) {
  const list = listRecentOrders();
  const entry = list.find((e) => e.orderId === orderId);
  if (!entry || entry.status === status) return;
  entry.status = status;
  save(list);
}
