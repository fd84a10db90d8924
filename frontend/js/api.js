// Talks to the order API. Every call resolves (never rejects) to either
//   { kind: 'response', status, data }   - the server answered
//   { kind: 'network', timedOut }        - no usable answer (offline, CORS, timeout)
//   { kind: 'aborted' }                  - the caller cancelled (e.g. left the page)
// so callers handle each case explicitly instead of guessing from exceptions.

const TIMEOUT_MS = 10_000;
const SLOW_MS = 2_000;

async function request(url, options = {}) {
  const { method = 'GET', headers = {}, body, signal, onSlow } = options;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  const slowTimer = onSlow ? setTimeout(onSlow, options.slowMs ?? SLOW_MS) : null;
  const onCallerAbort = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    signal.addEventListener('abort', onCallerAbort);
  }
  try {
    const response = await fetch(url, {
      method,
      headers: { Accept: 'application/json', ...headers },
      body,
      signal: controller.signal,
      cache: 'no-store', // an order's status changes: never answer from a cache
    });
    // Reading the body is still under the same timeout.
    const data = await readJson(response);
    return { kind: 'response', status: response.status, data };
  } catch {
    if (signal && signal.aborted && !timedOut) return { kind: 'aborted' };
    return { kind: 'network', timedOut };
  } finally {
    clearTimeout(timer);
    if (slowTimer) clearTimeout(slowTimer);
    if (signal) signal.removeEventListener('abort', onCallerAbort);
  }
}

// Error pages from proxies/gateways are often HTML; treat them as "no body".
async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// What a call answers when no shopper is signed in: the API's own 401, without asking it.
const SIGNED_OUT = { kind: 'response', status: 401, data: { message: 'Unauthorized' }, signedOut: true };

// Every call carries the signed-in shopper's access token (auth.js refreshes
// it before it expires). A 401 gets one forced refresh and one retry: the
// token may have been revoked or expired in flight. Retrying is safe for each
// call here: POST /orders repeats its Idempotency-Key, cancel is idempotent.
export function createApi(baseUrl, auth) {
  // options.as: a sub; nothing is sent unless that shopper is the one signed in.
  async function authorised(url, { as, ...options } = {}) {
    const isCaller = () => !as || (auth.shopper && auth.shopper.sub === as);
    let token = await auth.accessToken();
    if (!token || !isCaller()) return SIGNED_OUT;
    const send = () => request(url, { ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } });
    const result = await send();
    if (result.kind !== 'response' || result.status !== 401) return result;
    token = await auth.accessToken({ force: true });
    return token && isCaller() ? send() : SIGNED_OUT;
  }

  return {
    placeOrder(payload, idempotencyKey, options = {}) {
      return authorised(`${baseUrl}/orders`, {
        ...options,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(payload),
      });
    },
    // The signed-in shopper's orders, newest first: { orders, nextCursor }.
    listOrders({ limit = 10, cursor = null } = {}, options = {}) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      return authorised(`${baseUrl}/orders?${query}`, options);
    },
    getOrder(orderId, options = {}) {
      return authorised(`${baseUrl}/orders/${encodeURIComponent(orderId)}`, options);
    },
    // No body; safe to repeat: a second cancel answers the same cancelled order.
    cancelOrder(orderId, options = {}) {
      return authorised(`${baseUrl}/orders/${encodeURIComponent(orderId)}/cancel`, { ...options, method: 'POST' });
    },
  };
}

// Pulls { code, message, details } out of an error body. Also accepts the
// framework-default `{"detail": [...]}` shape in case a 422 isn't wrapped.
export function errorInfo(data) {
  const error = data && typeof data.error === 'object' ? data.error : null;
  let details = error && Array.isArray(error.details) ? error.details : [];
  if (!details.length && data && Array.isArray(data.detail)) details = data.detail;
  return {
    code: error && typeof error.code === 'string' ? error.code : null,
    message: error && typeof error.message === 'string' ? error.message : null,
    details: details.filter((d) => d && typeof d === 'object'),
  };
}
