import type { AccountLink } from '@aws-sdk/client-workspaces';
import { notRequiredReason, timedOutReason } from './gate-reasons';
import { getAccountLink, ReadContext } from './read-account-links';
import type { AccountLinkLookup, Gate } from './resource-properties';
import { AccountLinkStatus } from '../src/account-link-status';

/** Where a wait stands; carried from one invocation to the next when it is handed over. */
export interface WaitState {
  /** When the first invocation started waiting (ms since the epoch). */
  readonly startedAt: number;
  /** GetAccountLink calls made so far, in every invocation. */
  readonly reads: number;
  /** When the next read is due (ms since the epoch). */
  readonly nextReadAt: number;
  /** Invocations that took part so far, this one included. */
  readonly invocations: number;
}

/** The state of a wait that starts now, in its first invocation. */
export function startWait(now = Date.now()): WaitState {
  return { startedAt: now, reads: 0, nextReadAt: now, invocations: 1 };
}

export type WaitResult =
  | { readonly kind: 'passed'; readonly link: AccountLink; readonly state: WaitState }
  | { readonly kind: 'failed'; readonly reason: string; readonly state: WaitState }
  /** This invocation is out of time: a fresh one must go on from `state`. */
  | { readonly kind: 'handover'; readonly state: WaitState };

/**
 * Reads the link until it has the gate's required status. A pending link is read again
 * every poll interval until the wait's timeout; any other status that is not the required
 * one fails at once, as does a missing link (getAccountLink throws). When the next read
 * would fall after `handOverBy`, the wait is handed over instead of read.
 */
export async function waitForStatus(
  lookup: AccountLinkLookup, gate: Gate, state: WaitState, handOverBy: number, context: ReadContext,
): Promise<WaitResult> {
  const waitEndsAt = state.startedAt + gate.waitTimeoutSeconds * 1000;
  let { reads, nextReadAt } = state;
  for (;;) {
    if (nextReadAt > handOverBy) {
      return { kind: 'handover', state: { ...state, reads, nextReadAt } };
    }
    await sleep(nextReadAt - Date.now(), context.signal);
    const link = await getAccountLink(lookup, context);
    reads++;
    const now = Date.now();
    const current = { ...state, reads, nextReadAt: now };
    if (link.AccountLinkStatus === gate.requiredStatus) {
      return { kind: 'passed', link, state: current };
    }
    const pending = link.AccountLinkStatus === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT;
    if (!pending || gate.waitTimeoutSeconds === 0) {
      return { kind: 'failed', reason: notRequiredReason(link, gate.requiredStatus, gate.waitTimeoutSeconds > 0), state: current };
    }
    if (now >= waitEndsAt) {
      return { kind: 'failed', reason: timedOutReason(link, gate.requiredStatus, now - state.startedAt, reads), state: current };
    }
    // The last read falls on the wait's end, not after it.
    nextReadAt = Math.min(now + gate.pollIntervalSeconds * 1000, waitEndsAt);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
