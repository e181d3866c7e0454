import { backoffMs, worstCaseMs } from '../../core/retry-options';
import {
  DEFAULT_INVOKE_OPTIONS, DEFAULT_SEND_OPTIONS, invocationBudget, MARGIN_MS, READ_RESERVE_MS, worstCasesAfterWorkMs,
} from '../../lambda/time-budget';
import { HANDLER_TIMEOUT } from '../../src/account-links-provider/handler-settings';

// The numbers behind "exactly one answer before the function times out": every path that
// may follow the work deadline fits in what the budget keeps after it.

const TIMEOUT_MS = HANDLER_TIMEOUT.toMilliseconds();

describe('the invocation budget', () => {
  test('worst cases of the response PUT and the hand-over Invoke, from their retry settings', () => {
    // 5 attempts of 4 s, 0.5 + 1 + 2 + 4 s of backoff.
    expect(DEFAULT_SEND_OPTIONS).toEqual({ attempts: 5, baseDelayMs: 500, attemptTimeoutMs: 4_000 });
    expect(worstCaseMs(DEFAULT_SEND_OPTIONS)).toBe(5 * 4_000 + 500 + 1_000 + 2_000 + 4_000);
    // 3 attempts of 5 s, 1 + 2 s of backoff.
    expect(DEFAULT_INVOKE_OPTIONS).toEqual({ attempts: 3, baseDelayMs: 1_000, attemptTimeoutMs: 5_000 });
    expect(worstCaseMs(DEFAULT_INVOKE_OPTIONS)).toBe(3 * 5_000 + 1_000 + 2_000);
  });

  test('the backoff before each attempt: none, then the base delay, doubling', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(DEFAULT_SEND_OPTIONS, attempt))).toEqual([0, 500, 1_000, 2_000, 4_000]);
  });

  test('every path after the work deadline fits before the function times out, with a margin', () => {
    const budget = invocationBudget(0, TIMEOUT_MS);
    const kept = TIMEOUT_MS - budget.workEndsAt;

    expect(worstCasesAfterWorkMs()).toEqual({ answer: 27_500, handOverAccepted: 18_000, handOverRefusedThenAnswer: 45_500 });
    for (const [path, worstMs] of Object.entries(worstCasesAfterWorkMs())) {
      expect({ path, fits: worstMs + MARGIN_MS <= kept }).toEqual({ path, fits: true });
    }
    expect(kept).toBe(49_500);
  });

  test('the hand-over is decided inside the work window, and the last read starts early enough to end in it', () => {
    const budget = invocationBudget(1_000_000, TIMEOUT_MS);

    expect(budget.handOverAt).toBeLessThan(budget.workEndsAt);
    expect(budget.lastReadStartAt).toBe(budget.workEndsAt - READ_RESERVE_MS);
    expect(budget.lastReadStartAt).toBeLessThan(budget.handOverAt);
    // With the 2-minute timeout, an invocation waits 69.5 s before it hands over.
    expect(budget.handOverAt - 1_000_000).toBe(69_500);
  });

  test('the budget follows the time Lambda says is left, not the configured timeout', () => {
    const full = invocationBudget(0, TIMEOUT_MS);
    const late = invocationBudget(0, TIMEOUT_MS - 30_000);

    expect(full.workEndsAt - late.workEndsAt).toBe(30_000);
  });
});
