/**
 * The retry settings of the hand-over's Lambda Invoke, apart from the Invoke itself (its
 * signer is loaded only when a wait hands over), so that the time budget can count them.
 */
export interface InvokeRetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the first retry; it doubles with each further retry. */
  readonly baseDelayMs: number;
  /** One deadline per attempt: connect, send, headers and body. */
  readonly attemptTimeoutMs: number;
}

/** Three attempts of at most 2.5 s, 0.5 + 1 s of backoff: at most 9 s (see time-budget.ts). */
export const DEFAULT_INVOKE_OPTIONS: InvokeRetryOptions = { attempts: 3, baseDelayMs: 500, attemptTimeoutMs: 2_500 };

/** Worst-case time invokeSelf may take with `options`. */
export function worstCaseInvokeMs(options: InvokeRetryOptions = DEFAULT_INVOKE_OPTIONS): number {
  return options.baseDelayMs * (2 ** (options.attempts - 1) - 1) + options.attempts * options.attemptTimeoutMs;
}

