/**
 * How one of the handler's own HTTP requests (the response PUT, the hand-over's Invoke) is
 * retried: a number of attempts, each under one deadline, with exponential backoff.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** One deadline per attempt: connect, send, headers and body. */
  readonly attemptTimeoutMs: number;
}

/** The delay before attempt `attempt` (1 for the first): none, then the base delay, doubling. */
export function backoffMs(options: RetryOptions, attempt: number): number {
  return attempt > 1 ? options.baseDelayMs * 2 ** (attempt - 2) : 0;
}

/** The longest a request may take with `options`: every attempt runs out its deadline, with every backoff between. */
export function worstCaseMs(options: RetryOptions): number {
  return options.baseDelayMs * (2 ** (options.attempts - 1) - 1) + options.attempts * options.attemptTimeoutMs;
}
