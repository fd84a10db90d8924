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

export function createApi(baseUrl) {
  return {
    placeOrder(payload, idempotencyKey, options = {}) {
      return request(`${baseUrl}/orders`, {
        ...options,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
        body: JSON.stringify(payload),
      });
    },
    getOrder(orderId, options = {}) {
      return request(`${baseUrl}/orders/${encodeURIComponent(orderId)}`, options);
    },
    // No body; safe to repeat: a second cancel answers the same cancelled order.
    cancelOrder(orderId, options = {}) {
      return request(`${baseUrl}/orders/${encodeURIComponent(orderId)}/cancel`, { ...options, method: 'POST' });
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
