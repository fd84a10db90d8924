// Owns the Idempotency-Key of the current checkout attempt, so that a double
// click, a retry after a timeout, or a retry after a 5xx can never create a
// second order. The key is kept until the API gives a definitive answer
// (2xx with an order, or a 4xx that means "nothing was stored").
// A different payload (the cart was edited) is a new attempt with a new key:
// reusing the old key would only earn a 409 IDEMPOTENCY_KEY_REUSED.

import { errorInfo } from './api.js';
import { randomUuid } from './uuid.js';

// Answers after which retrying the same key is still the safe thing to do.
const RETRYABLE_STATUS = new Set([408, 425, 429]);

export function interpretPlaceOrder(result) {
  if (result.kind !== 'response') {
    return { type: 'network', timedOut: Boolean(result.timedOut), final: false };
  }
  const { status, data } = result;
  const info = errorInfo(data);
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

export function createCheckout(api, makeKey = randomUuid) {
  let inFlight = false;
  let attempt = null; // { key, fingerprint }
  const listeners = new Set();
  const notify = () => listeners.forEach((fn) => fn(inFlight));

  return {
    get busy() { return inFlight; },
    get pendingKey() { return attempt ? attempt.key : null; },
    onBusyChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },

    async submit(payload, { onSlow } = {}) {
      // Set synchronously, before any await, so a second click in the same
      // tick is already ignored.
      if (inFlight) return { type: 'ignored', final: false };
      const fingerprint = JSON.stringify(payload);
      if (!attempt || attempt.fingerprint !== fingerprint) {
        attempt = { key: makeKey(), fingerprint };
      }
      inFlight = true;
      notify();
      try {
        const outcome = interpretPlaceOrder(await api.placeOrder(payload, attempt.key, { onSlow }));
        if (outcome.final) attempt = null;
        return outcome;
      } finally {
        inFlight = false;
        notify();
      }
    },
  };
}
