import type { AccountLink } from '@aws-sdk/client-workspaces';
import { AccountLinkApiError, getAccountLink, ApiContext } from './account-link-api';
import { describeLookup, type AccountLinkLookup, type Gate } from './domain';
import { notRequiredReason, throttledReason, timedOutReason, unreadReason, WaitSettingName } from './gate-reasons';
import { isPassingFault } from './hand-over';
import { sleep } from './sleep';
import { isThrottled } from './workspaces-client';
import { AccountLinkStatus } from '../src/account-link-status';

/**
 * Where a wait stands. Its clock is absolute (ms since the epoch) and travels with it from
 * one invocation to the next, so a repeated delivery of the same event or hand-over never
 * restarts it: every copy ends the wait at the same moment.
 */
export interface WaitState {
  /** When the wait started: when CloudFormation sent the request. */
  readonly startedAt: number;
  /** No read is made after this; a link still pending then fails the gate. */
  readonly endsAt: number;
  /** GetAccountLink calls made so far, in every invocation. */
  readonly reads: number;
  /** When the next read is due. */
  readonly nextReadAt: number;
  /** Invocations that took part so far, this one included. */
  readonly invocations: number;
}

/** The state of a wait for `gate` that starts at `startedAt`, before its first read. */
export function startWait(gate: Gate, startedAt: number): WaitState {
  return { startedAt, endsAt: startedAt + gate.waitTimeoutSeconds * 1000, reads: 0, nextReadAt: startedAt, invocations: 1 };
}

/** When this invocation may read, and when it must hand an undecided wait over (ms since the epoch). */
export interface WaitWindow {
  readonly lastReadStartAt: number;
  readonly handOverAt: number;
}

/** A wait in one process that never hands over (the check command). */
export const UNBOUNDED_WINDOW: WaitWindow = { lastReadStartAt: Infinity, handOverAt: Infinity };

/** Time as the wait sees it; tests inject their own. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep };

export interface WaitOptions {
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /** How the reasons name the setting that turns a wait on. @default 'waitTimeout' */
  readonly waitSetting?: WaitSettingName;
}

export type WaitResult =
  | { readonly kind: 'passed'; readonly link: AccountLink; readonly state: WaitState }
  | { readonly kind: 'failed'; readonly reason: string; readonly state: WaitState }
  /** The next read falls after this invocation's window: a fresh one must go on from `state`. */
  | { readonly kind: 'handover'; readonly state: WaitState };

/**
 * Reads the link until it has the gate's required status. A pending link is read again
 * every poll interval until the wait ends (the last read falls on its end); any other
 * status that is not the required one fails at once, as does a missing link
 * (getAccountLink throws). The invocation uses its whole window: it sleeps until the next
 * read or until its hand-over time, whichever comes first, so a poll interval longer than
 * one invocation costs one hand-over per invocation, not a storm of them.
 */
export async function waitForStatus(
  lookup: AccountLinkLookup, gate: Gate, state: WaitState, window: WaitWindow, context: ApiContext, options: WaitOptions = {},
): Promise<WaitResult> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  if (window.lastReadStartAt <= clock.now()) {
    // Handing over again would only pass the same lack of time on.
    return {
      kind: 'failed',
      state,
      reason: `the wait cannot go on: this invocation ends too soon to read the link even once (${state.reads} reads so far)`,
    };
  }
  let { reads, nextReadAt } = state;
  // A gate that waits bounds each read's retries of throttling; one that does not reads as any lookup.
  const readContext = gate.waitTimeoutSeconds > 0
    ? { ...context, retryUntil: Math.min(window.handOverAt, state.endsAt + gate.pollIntervalSeconds * 1000) }
    : undefined;
  for (;;) {
    if (nextReadAt > window.lastReadStartAt) {
      await clock.sleep(window.handOverAt - clock.now(), context.signal);
      return { kind: 'handover', state: { ...state, reads, nextReadAt } };
    }
    await clock.sleep(nextReadAt - clock.now(), context.signal);
    let link: AccountLink;
    try {
      // A throttled read is retried until the wait's end (and one poll more), or until this
      // invocation hands over: throttling delays the wait, it does not fail it. So does an
      // assumed role's STS call that is throttled or does not answer in that time (it is
      // cut off then): a passing fault.
      link = await getAccountLink(lookup, readContext ?? context);
    } catch (error) {
      if (!readContext || !(error instanceof AccountLinkApiError) || !isPassingFault(error.cause)) throw error;
      const now = clock.now();
      if (now >= state.endsAt) {
        const why = isThrottled(error.cause) ? throttledReason : unreadReason;
        return { kind: 'failed', state: { ...state, reads, nextReadAt: now }, reason: why(describeLookup(lookup), gate.requiredStatus, now - state.startedAt, reads, error.message) };
      }
      // The next poll, as after a pending read (past this invocation's window: the next loop hands over).
      nextReadAt = Math.min(now + gate.pollIntervalSeconds * 1000, state.endsAt);
      continue;
    }
    reads++;
    const now = clock.now();
    const current = { ...state, reads, nextReadAt: now };
    if (link.AccountLinkStatus === gate.requiredStatus) {
      return { kind: 'passed', link, state: current };
    }
    const pending = link.AccountLinkStatus === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT;
    if (!pending || gate.waitTimeoutSeconds === 0) {
      return { kind: 'failed', reason: notRequiredReason(link, gate.requiredStatus, gate.waitTimeoutSeconds > 0, options.waitSetting), state: current };
    }
    if (now >= state.endsAt) {
      return { kind: 'failed', reason: timedOutReason(link, gate.requiredStatus, now - state.startedAt, reads), state: current };
    }
    nextReadAt = Math.min(now + gate.pollIntervalSeconds * 1000, state.endsAt);
  }
}
