import { RetryOptions, worstCaseMs } from '../core/retry-options';

/**
 * The response PUT: five attempts of at most 4 s, 0.5 + 1 + 2 + 4 s of backoff: at most
 * 27.5 s.
 */
export const DEFAULT_SEND_OPTIONS: RetryOptions = { attempts: 5, baseDelayMs: 500, attemptTimeoutMs: 4_000 };

/**
 * The hand-over's Lambda Invoke: three attempts of at most 5 s, 1 + 2 s of backoff: at most
 * 18 s. Only attempts Lambda cannot have queued are retried (a 429, no connection), so the
 * backoff is throttling's; an attempt that times out is not retried (invoke-self.ts), and its
 * outcome stays unknown: each attempt waits long enough for a slow 202 to arrive.
 */
export const DEFAULT_INVOKE_OPTIONS: RetryOptions = { attempts: 3, baseDelayMs: 1_000, attemptTimeoutMs: 5_000 };

/** Spare time per step for what no worst case counts: the log line, the process, clock jitter. */
export const MARGIN_MS = 2_000;

/** The response PUT with all its retries (27.5 s), plus a margin: 29.5 s. */
export const RESPONSE_RESERVE_MS = worstCaseMs(DEFAULT_SEND_OPTIONS) + MARGIN_MS;

/** The hand-over's Lambda Invoke with all its retries (18 s), plus a margin: 20 s. */
export const HANDOVER_RESERVE_MS = worstCaseMs(DEFAULT_INVOKE_OPTIONS) + MARGIN_MS;

/**
 * Time a wait keeps for one read: no read starts later than this before the work deadline.
 * A read takes well under a second; this leaves room for its retries of throttling.
 */
export const READ_RESERVE_MS = 10_000;

/** The wait hands over this long before the work deadline, so the two never race. */
export const HANDOVER_LEAD_MS = 1_000;

/**
 * One invocation's timeline, with D its deadline (start + the time Lambda gives it):
 *
 *   workEndsAt      = D − 29.5 s − 20 s = D − 49.5 s   reads and waits end here (deadline guard)
 *   handOverAt      = workEndsAt − 1 s                 a wait that is not decided hands over
 *   lastReadStartAt = workEndsAt − 10 s                no read starts later
 *
 * What may follow workEndsAt, path by path (worst cases of the retry settings above):
 *   answer                          PUT 27.5 s                 = 27.5 s
 *   hand over, accepted or unknown  Invoke 18 s                = 18 s  (no answer: a successor may run)
 *   hand over, refused, answer      Invoke 18 s + PUT 27.5 s   = 45.5 s
 * The longest, 45.5 s, fits the 49.5 s kept after workEndsAt with 4 s to spare. With the
 * function's 2-minute timeout, an invocation waits 69.5 s before it hands over.
 */
export interface InvocationBudget {
  readonly workEndsAt: number;
  readonly handOverAt: number;
  readonly lastReadStartAt: number;
}

export function invocationBudget(startedAt: number, remainingMs: number): InvocationBudget {
  const workEndsAt = startedAt + remainingMs - RESPONSE_RESERVE_MS - HANDOVER_RESERVE_MS;
  return { workEndsAt, handOverAt: workEndsAt - HANDOVER_LEAD_MS, lastReadStartAt: workEndsAt - READ_RESERVE_MS };
}

/** The worst case of every path after the work deadline, by name (for the budget's unit test and the docs). */
export function worstCasesAfterWorkMs(): Record<string, number> {
  return {
    answer: worstCaseMs(DEFAULT_SEND_OPTIONS),
    handOverAccepted: worstCaseMs(DEFAULT_INVOKE_OPTIONS),
    handOverRefusedThenAnswer: worstCaseMs(DEFAULT_INVOKE_OPTIONS) + worstCaseMs(DEFAULT_SEND_OPTIONS),
  };
}
