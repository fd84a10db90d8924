// Polls an order until it reaches a final status. Backoff starts at 300 ms
// and doubles up to 5 s (fast feedback for the common quick case, light load
// when the queue is slow), and gives up after ~2 minutes.

export function pollOrder({
  fetchOnce, // (signal) => Promise<result>
  onResult, // (result) => true when polling should stop
  onGiveUp, // () => void, called when the time budget runs out
  initialDelayMs = 300,
  maxDelayMs = 5_000,
  maxDurationMs = 120_000,
}) {
  const startedAt = Date.now();
  let delay = initialDelayMs;
  let stopped = false;
  let timer = null;
  let controller = null;

  async function tick() {
    if (stopped) return;
    controller = new AbortController();
    const result = await fetchOnce(controller.signal);
    if (stopped) return;
    if (onResult(result)) {
      stopped = true;
      return;
    }
    if (Date.now() - startedAt + delay > maxDurationMs) {
      stopped = true;
      onGiveUp();
      return;
    }
    timer = setTimeout(tick, delay);
    delay = Math.min(delay * 2, maxDelayMs);
  }

  tick();
  return function stop() {
    stopped = true;
    clearTimeout(timer);
    if (controller) controller.abort();
  };
}
