import { DEFAULT_RETRY_DELAY_BASE, MAXIMUM_RETRY_DELAY, THROTTLING_RETRY_DELAY_BASE } from '@smithy/core/retry';
import type { RetryOptions } from './retry-options';

/**
 * How a call is retried. Throttling is retried with exponential backoff and full jitter
 * (the SDK's delay bases and cap), for as long as the caller lets it: its signal (the
 * handler's deadline guard, the command's --timeout), its `retryUntil`, or `throttledForMs`.
 * Other errors another attempt may fix (5xx, InternalServerException, timeouts, no answer)
 * get `attempts` attempts in all.
 */
export interface ApiRetryOptions extends RetryOptions {
  /** The first throttled retry waits up to this; it doubles with each retry, to `maxDelayMs`. */
  readonly throttlingBaseDelayMs: number;
  /** The longest wait between two attempts (a `Retry-After` the endpoint sends may be longer). */
  readonly maxDelayMs: number;
  /** How long a throttled call is retried at the most, counted from its first attempt. */
  readonly throttledForMs: number;
}

/**
 * The SDK's standard delays (its DEFAULT_RETRY_DELAY_BASE, THROTTLING_RETRY_DELAY_BASE and
 * MAXIMUM_RETRY_DELAY), four attempts for errors other than throttling, at most 5 s each.
 * In the handler the deadline guard, not `throttledForMs`, ends a call that stays throttled.
 */
export const DEFAULT_API_OPTIONS: ApiRetryOptions = {
  attempts: 4,
  baseDelayMs: DEFAULT_RETRY_DELAY_BASE,
  throttlingBaseDelayMs: THROTTLING_RETRY_DELAY_BASE,
  maxDelayMs: MAXIMUM_RETRY_DELAY,
  attemptTimeoutMs: 5_000,
  throttledForMs: 15 * 60_000,
};

/** Full jitter: a random wait before retry `attempt` up to the base doubled per retry, at most maxDelayMs (the SDK's backoff). */
export function retryDelayMs(retry: ApiRetryOptions, attempt: number, throttled: boolean): number {
  const base = throttled ? retry.throttlingBaseDelayMs : retry.baseDelayMs;
  return Math.floor(Math.random() * Math.min(base * 2 ** (attempt - 1), retry.maxDelayMs));
}
