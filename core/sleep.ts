/** Node's timers take at most 2^31-1 ms; a longer delay would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` (at once for 0 or less), or rejects with the signal's reason when it
 * aborts. Delays past node's timer limit are slept in pieces, and the abort listener is
 * removed when the sleep ends, so a long wait neither fires early nor leaks listeners.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(signal.reason);
  }
  if (!(ms > 0)) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const wakeAt = Date.now() + ms;
    let timer: NodeJS.Timeout;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const arm = () => {
      const left = wakeAt - Date.now();
      if (left <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
