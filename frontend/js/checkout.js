// Owns the Idempotency-Key of the current checkout attempt, so that a double
// click, a retry after a timeout, a retry after a 5xx, an edited cart or a
// reload can never create a second order by accident.
//
// The API names the order by the key (the order id is derived from it) and
// queues the order before it stores it, so an ambiguous answer (no answer, a
// timeout, a 5xx, 408/425/429) may still have made the order. Such an attempt
// is "unresolved": its key and payload are kept until the API gives a
// definitive answer for them (a 2xx with the order, or a 4xx that means
// "nothing was made").
//
// While an attempt is unresolved:
// - the same payload is sent again with the same key;
// - a different payload (the cart was edited) is NOT sent with a new key
//   straight away: the unresolved attempt is replayed first (old key, old
//   payload). A 202 means that order exists: it is shown and the new cart is
//   not sent. A definitive 4xx means it does not: the new cart goes with a
//   new key. Ambiguous again: nothing new is sent, both are kept.
// - a page load replays it in the background (resolvePending), so a reload
//   cannot leave an order the shopper never sees.
//
// An attempt belongs to the shopper who made it (the API makes the order for
// the token's owner): it is kept per shopper and only ever replayed while that
// shopper is signed in. A 401 settles nothing: the attempt waits for sign-in.

import { errorInfo } from './api.js';
import { readJson, writeJson, removeKey } from './storage.js';
import { randomUuid } from './uuid.js';

// Answers after which retrying the same key is still the safe thing to do.
const RETRYABLE_STATUS = new Set([408, 425, 429]);

// sessionStorage, not localStorage: it survives a reload of this tab (the
// case that would otherwise orphan an order) and ends with the tab. In
// localStorage an unresolved attempt would outlive the visit and be replayed
// days later, or by every open tab at once, and a replay can be what makes
// the order (when the first try never reached the queue): an order should
// only ever be made in the tab where the shopper pressed "Place order" and
// is watching the answer.
// One key per shopper: storefront.pendingCheckout.v2.<sub>.
const PENDING_KEY = 'storefront.pendingCheckout.v2';

export function interpretPlaceOrder(result) {
  if (result.kind !== 'response') {
    return { type: 'network', timedOut: Boolean(result.timedOut), final: false };
  }
  const { status, data } = result;
  const info = errorInfo(data);
  // Signed out, or the session could not be refreshed: nothing is known.
  if (status === 401) return { type: 'unauthorized', final: false };
  if (status >= 200 && status < 300) {
    if (data && typeof data.orderId === 'string' && data.orderId) {
      return { type: 'accepted', order: data, final: true };
    }
    // Stored but unreadable: keep the key so a retry replays the same order.
    return { type: 'server', status, message: null, final: false };
  }
  if (status === 422) {
    return { type: 'validation', details: info.details, message: info.message, final: true };
  }
  if (status >= 500 || RETRYABLE_STATUS.has(status)) {
    return { type: 'server', status, message: info.message, final: false };
  }
  return { type: 'rejected', status, code: info.code, message: info.message, final: true };
}

const fingerprintOf = (payload) => JSON.stringify(payload);

// The unresolved attempt of one shopper in this tab ({ key, payload } or
// null), by their sub. Kept in memory as well, so it still works for this
// page view when storage is off.
export function createPendingStore(storageKey = PENDING_KEY) {
  const memory = new Map();
  const valid = (a) => a && typeof a.key === 'string' && a.key && a.payload && typeof a.payload === 'object';
  const keyOf = (sub) => `${storageKey}.${sub}`;
  return {
    load(sub) {
      if (!sub) return null;
      if (!memory.has(sub)) {
        const stored = readJson(keyOf(sub), null, 'session');
        memory.set(sub, valid(stored) ? { key: stored.key, payload: stored.payload } : null);
      }
      return memory.get(sub);
    },
    save(sub, attempt) {
      memory.set(sub, { key: attempt.key, payload: attempt.payload });
      writeJson(keyOf(sub), memory.get(sub), 'session');
    },
    clear(sub) {
      memory.set(sub, null);
      removeKey(keyOf(sub), 'session');
    },
  };
}

// owner(): the signed-in shopper's sub, or null. Each call works for the
// shopper signed in when it started, and the API is told to send nothing if
// another shopper is signed in by the time it sends (`as`).
export function createCheckout(api, { owner, makeKey = randomUuid, pending = createPendingStore() } = {}) {
  let busy = null; // null, 'placing' or 'checking' (replaying an earlier attempt)
  const listeners = new Set();
  const setBusy = (value) => { busy = value; listeners.forEach((fn) => fn(Boolean(busy), busy)); };

  // Sends one attempt as `sub`; remembers it while its outcome is ambiguous.
  async function send(sub, attempt, options) {
    const outcome = interpretPlaceOrder(await api.placeOrder(attempt.payload, attempt.key, { ...options, as: sub }));
    if (outcome.final) pending.clear(sub);
    else pending.save(sub, attempt);
    return outcome;
  }

  // Replays the unresolved attempt. Answers
  //   { type: 'earlier-accepted', order, payload } - that order exists
  //   { type: 'earlier-refused', cause }            - definitive 4xx: it does not
  //   { type: 'earlier-unconfirmed', cause }        - still ambiguous: kept
  async function replay(sub, earlier, options) {
    const outcome = await send(sub, earlier, options);
    if (outcome.type === 'accepted') return { type: 'earlier-accepted', order: outcome.order, payload: earlier.payload };
    if (outcome.final) return { type: 'earlier-refused', cause: outcome };
    return { type: 'earlier-unconfirmed', cause: outcome };
  }

  return {
    get busy() { return Boolean(busy); },
    get busyReason() { return busy; },
    get pendingKey() { const a = pending.load(owner()); return a ? a.key : null; },
    get hasPending() { return Boolean(pending.load(owner())); },
    onBusyChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },

    // onReplay is called before an earlier, unresolved attempt is replayed.
    async submit(payload, { onSlow, onReplay } = {}) {
      // Set synchronously, before any await, so a second click in the same
      // tick is already ignored.
      if (busy) return { type: 'ignored', final: false };
      const sub = owner();
      if (!sub) return { type: 'unauthorized', final: false };
      const earlier = pending.load(sub);
      const same = earlier && fingerprintOf(earlier.payload) === fingerprintOf(payload);
      try {
        if (earlier && !same) {
          setBusy('checking');
          if (onReplay) onReplay();
          const resolved = await replay(sub, earlier, {});
          // Only a definitive "not made" lets the new cart go.
          if (resolved.type !== 'earlier-refused') return resolved;
        }
        setBusy('placing');
        return await send(sub, { key: same ? earlier.key : makeKey(), payload }, { onSlow });
      } finally {
        setBusy(null);
      }
    },

    // On page load and at each sign-in: settle an attempt this shopper left
    // undecided in this tab. Answers { type: 'none' } when there is nothing
    // to settle, else as replay().
    async resolvePending() {
      if (busy) return { type: 'ignored' };
      const sub = owner();
      const earlier = pending.load(sub);
      if (!earlier) return { type: 'none' };
      setBusy('checking');
      try {
        return await replay(sub, earlier, {});
      } finally {
        setBusy(null);
      }
    },
  };
}
