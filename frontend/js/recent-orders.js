// Orders the signed-in shopper placed or looked at in this tab, newest first
// (up to 20), with the items sent and the last status seen. "My orders" comes
// from the API (GET /orders); this only fills two gaps:
// - the API's list may lag a second behind a just-placed order (it reads an
//   eventually consistent index): such an order is shown from here until the
//   API lists it;
// - the order page shows what was ordered before the API has answered.
// Kept per shopper in sessionStorage (it ends with the tab), and dropped at
// sign-out, so nothing of one shopper's orders is left for the next.

import { readJson, writeJson, removeKey } from './storage.js';

const KEY = 'storefront.placedOrders.v1';
const MAX = 20;
// Statuses after which polling stops. A CONFIRMED order can still be
// cancelled, but only by the shopper (the order page shows that answer).
export const FINAL_STATUSES = new Set(['CONFIRMED', 'REJECTED', 'CANCELLED']);
// An order the API does not know, or not for this shopper.
export const NOT_FOUND = 'NOT_FOUND';

let owner = null;
const listeners = new Set();
const keyOf = (sub) => `${KEY}.${sub}`;

function isEntry(e) {
  return e && typeof e.orderId === 'string' && e.orderId !== '';
}

// Called on every sign-in and sign-out (null); forgets the previous shopper's.
export function setRecentOwner(sub) {
  if (owner && owner !== sub) removeKey(keyOf(owner), 'session');
  owner = sub || null;
}

export function listRecentOrders() {
  if (!owner) return [];
  const raw = readJson(keyOf(owner), [], 'session');
  return (Array.isArray(raw) ? raw.filter(isEntry) : []).slice(0, MAX);
}

function save(list) {
  if (owner) writeJson(keyOf(owner), list.slice(0, MAX), 'session');
}

// Called when an order is added (not when a status changes).
export function onRecentOrderAdded(fn) {
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
  listeners.forEach((fn) => fn(entry));
}

export function updateRecentStatus(orderId, status) {
  const list = listRecentOrders();
  const entry = list.find((e) => e.orderId === orderId);
  if (!entry || entry.status === status) return;
  entry.status = status;
  save(list);
}

// The first page of GET /orders, plus the orders placed here that are newer
// than everything it lists and missing from it (the index has not caught up).
export function withUnlisted(orders) {
  const listed = new Set(orders.map((o) => o.orderId));
  const newest = orders.length ? Date.parse(orders[0].createdAt) || 0 : -Infinity;
  const missing = listRecentOrders().filter((e) => !listed.has(e.orderId) && e.status !== NOT_FOUND
    && (Date.parse(e.createdAt) || 0) > newest);
  return [...missing, ...orders];
}
