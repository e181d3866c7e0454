import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { ApiContext } from '../../core/account-link-api';
import type { Gate } from '../../core/domain';
import { Clock, startWait, UNBOUNDED_WINDOW, waitForStatus, WaitWindow } from '../../core/wait-for-status';
import { WorkSpacesApiError, type WorkSpacesClient } from '../../core/workspaces-client';
import { AccountLinkStatus } from '../../src/account-link-status';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const LOOKUP = { linkId: 'link-1a2b3c4d' };
const { LINKED, PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT: PENDING, REJECTED } = AccountLinkStatus;

/** A clock that only moves when the wait sleeps: no real time passes. */
function virtualClock(start = T0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += Math.max(0, ms);
    },
  };
}

/** An API context whose GetAccountLink answers the statuses in turn (the last one repeats), noting when each read came. */
function scripted(clock: Clock, ...statuses: AccountLinkStatus[]): ApiContext & { readAt: number[] } {
  const readAt: number[] = [];
  const client = {
    send: async () => {
      readAt.push(clock.now() - T0);
      const status = statuses[Math.min(readAt.length - 1, statuses.length - 1)];
      const link: AccountLink = { AccountLinkId: LOOKUP.linkId, AccountLinkStatus: status, SourceAccountId: '111122223333', TargetAccountId: '444455556666' };
      return { AccountLink: link };
    },
  } as unknown as WorkSpacesClient;
  return { client, counter: { calls: 0 }, readAt };
}

const gate = (waitSeconds: number, pollSeconds: number): Gate => (
  { requiredStatus: LINKED, waitTimeoutSeconds: waitSeconds, pollIntervalSeconds: pollSeconds });

test('pending, pending, linked: passes on the third read, one poll interval apart', async () => {
  const clock = virtualClock();
  const api = scripted(clock, PENDING, PENDING, LINKED);
  const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock });

  expect(result).toMatchObject({ kind: 'passed', link: { AccountLinkStatus: LINKED }, state: { reads: 3 } });
  expect(api.readAt).toEqual([0, 15_000, 30_000]);
});

test('still pending when the wait ends: the last read falls on its end, and the reason says how long and how many reads', async () => {
  const clock = virtualClock();
  const api = scripted(clock, PENDING);
  const result = await waitForStatus(LOOKUP, gate(60, 25), startWait(gate(60, 25), T0), UNBOUNDED_WINDOW, api, { clock });

  expect(api.readAt).toEqual([0, 25_000, 50_000, 60_000]);
  expect(result).toEqual(expect.objectContaining({
    kind: 'failed',
    reason: 'link link-1a2b3c4d is still PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT after waiting 60 s (4 reads), not LINKED: accept the invitation in account 444455556666',
  }));
});

test('a status that waiting cannot change fails at once, after one read', async () => {
  const clock = virtualClock();
  const api = scripted(clock, REJECTED);
  const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock });

  expect(result).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^link link-1a2b3c4d is REJECTED, not LINKED: account 444455556666 rejected/) });
  expect(api.readAt).toEqual([0]);
});

test('no wait: a pending link fails after one read, and the reason says how to wait (in the caller\'s words)', async () => {
  const clock = virtualClock();
  const api = scripted(clock, PENDING);
  const noWait = { requiredStatus: LINKED, waitTimeoutSeconds: 0, pollIntervalSeconds: 15 };
  const result = await waitForStatus(LOOKUP, noWait, startWait(noWait, T0), UNBOUNDED_WINDOW, api, { clock, waitSetting: '--wait' });

  expect(result).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/\(or pass --wait to wait for it\)$/) });
});

describe('within one invocation\'s window', () => {
  const window: WaitWindow = { lastReadStartAt: T0 + 70_000, handOverAt: T0 + 79_000 };

  test('the next read falls after the window: it sleeps until the hand-over time and hands over where it stands', async () => {
    const clock = virtualClock();
    const api = scripted(clock, PENDING);
    const result = await waitForStatus(LOOKUP, gate(1200, 300), startWait(gate(1200, 300), T0), window, api, { clock });

    expect(api.readAt).toEqual([0]);
    expect(result).toEqual({ kind: 'handover', state: expect.objectContaining({ reads: 1, nextReadAt: T0 + 300_000, startedAt: T0, endsAt: T0 + 1_200_000 }) });
    expect(clock.now()).toBe(T0 + 79_000);
  });

  test('a handed-over wait goes on from its state: the next read at its time, the reads counted on', async () => {
    const clock = virtualClock(T0 + 290_000);
    const api = scripted(clock, LINKED);
    const state = { startedAt: T0, endsAt: T0 + 1_200_000, reads: 1, nextReadAt: T0 + 300_000, invocations: 2 };
    const later = { lastReadStartAt: T0 + 360_000, handOverAt: T0 + 369_000 };
    const result = await waitForStatus(LOOKUP, gate(1200, 300), state, later, api, { clock });

    expect(api.readAt).toEqual([300_000]);
    expect(result).toMatchObject({ kind: 'passed', state: { reads: 2, invocations: 2 } });
  });

  test('an invocation that starts after its last read time fails rather than handing the same lack of time on', async () => {
    const clock = virtualClock(T0 + 75_000);
    const api = scripted(clock, PENDING);
    const result = await waitForStatus(LOOKUP, gate(1200, 300), startWait(gate(1200, 300), T0), window, api, { clock });

    expect(result).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^the wait cannot go on: this invocation ends too soon/) });
    expect(api.readAt).toEqual([]);
  });
});

test('an abort while sleeping ends the wait with the signal\'s reason', async () => {
  const controller = new AbortController();
  const reason = new Error('deadline');
  const clock: Clock = {
    now: () => T0,
    sleep: async (_ms, signal) => {
      controller.abort(reason);
      if (signal?.aborted) throw signal.reason;
    },
  };
  const api = { ...scripted(clock, PENDING), signal: controller.signal };
  await expect(waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock })).rejects.toBe(reason);
});

describe('a throttled poll does not fail the wait: the wait goes on', () => {
  /** GetAccountLink answers `throttled` polls with a ThrottlingException the client gave up on, then the statuses. */
  function throttledThen(clock: Clock, throttled: number, ...statuses: AccountLinkStatus[]) {
    const api = scripted(clock, ...statuses);
    const answer = api.client.send.bind(api.client);
    const retryUntils: (number | undefined)[] = [];
    let calls = 0;
    (api.client as any).send = async (operation: string, input: object, signal?: AbortSignal, retryUntil?: number) => {
      retryUntils.push(retryUntil);
      if (calls++ < throttled) {
        await clock.sleep(1_000);
        throw new WorkSpacesApiError('ThrottlingException', 'Rate exceeded', 400);
      }
      return answer(operation as never, input as never, signal);
    };
    return { api, retryUntils };
  }

  test('three throttled polls, then LINKED: the gate passes, each throttled read retried no later than the wait\'s end and one poll', async () => {
    const clock = virtualClock();
    const { api, retryUntils } = throttledThen(clock, 3, LINKED);
    const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock });

    expect(result).toMatchObject({ kind: 'passed', link: { AccountLinkStatus: LINKED }, state: { reads: 1 } });
    expect(retryUntils).toEqual(Array(4).fill(T0 + 615_000));
  });

  test('in an invocation, a throttled read gives way when the invocation hands over', async () => {
    const clock = virtualClock();
    const { api, retryUntils } = throttledThen(clock, 100, LINKED);
    const window: WaitWindow = { lastReadStartAt: T0 + 30_000, handOverAt: T0 + 39_000 };
    const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), window, api, { clock });

    expect(result.kind).toBe('handover');
    expect(retryUntils.every((until) => until === T0 + 39_000)).toBe(true);
  });

  test('still throttled when the wait ends: FAILED, saying the API throttled the reads', async () => {
    const clock = virtualClock();
    const { api } = throttledThen(clock, 1_000, LINKED);
    const result = await waitForStatus(LOOKUP, gate(60, 15), startWait(gate(60, 15), T0), UNBOUNDED_WINDOW, api, { clock });

    expect(result).toMatchObject({ kind: 'failed' });
    expect((result as { reason: string }).reason).toMatch(
      /^link link-1a2b3c4d: no answer but throttling after waiting 6\d s \(0 reads answered\), so its status is not known to be LINKED: GetAccountLink for link link-1a2b3c4d failed: ThrottlingException: Rate exceeded$/);
  });

  test('a gate that does not wait reads once, retried as any lookup (until the deadline): a throttled read fails it', async () => {
    const clock = virtualClock();
    const { api, retryUntils } = throttledThen(clock, 1, LINKED);
    await expect(waitForStatus(LOOKUP, gate(0, 15), startWait(gate(0, 15), T0), UNBOUNDED_WINDOW, api, { clock })).rejects.toThrow(/ThrottlingException/);
    expect(retryUntils).toEqual([undefined]);
  });
});

describe('an assumed role\'s STS throttled or silent is a passing fault: it delays the wait as throttling does', () => {
  const ROLE = 'arn:aws:iam::444455556666:role/reader';
  /** As core/assume-role.ts throws it when the call's time ran out (from its own bundle, in the handler). */
  const silent = () => Object.assign(new Error(`STS AssumeRole of ${ROLE} got no answer in the 15 s the call had (3 attempts)`),
    { name: 'AssumeRoleError', transient: true });

  /** GetAccountLink's credentials cannot be had for `failing` polls (15 s each), then the statuses. */
  function credentialsFailThen(clock: Clock, failing: number, error: () => Error, ...statuses: AccountLinkStatus[]) {
    const api = scripted(clock, ...statuses);
    const answer = api.client.send.bind(api.client);
    let calls = 0;
    (api.client as any).send = async (operation: string, input: object, signal?: AbortSignal) => {
      if (calls++ < failing) {
        await clock.sleep(15_000);
        throw error();
      }
      return answer(operation as never, input as never, signal);
    };
    return api;
  }

  test('in an invocation, the wait hands over (the successor asks STS again)', async () => {
    const clock = virtualClock();
    const api = credentialsFailThen(clock, 100, silent, LINKED);
    const window: WaitWindow = { lastReadStartAt: T0 + 30_000, handOverAt: T0 + 39_000 };
    const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), window, api, { clock });

    expect(result).toMatchObject({ kind: 'handover', state: { reads: 0 } });
  });

  test('once STS answers, the gate passes', async () => {
    const clock = virtualClock();
    const api = credentialsFailThen(clock, 2, silent, LINKED);
    const result = await waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock });

    expect(result).toMatchObject({ kind: 'passed', state: { reads: 1 } });
  });

  test('still silent when the wait ends: FAILED, naming STS and the role, not throttling', async () => {
    const clock = virtualClock();
    const api = credentialsFailThen(clock, 1_000, silent, LINKED);
    const result = await waitForStatus(LOOKUP, gate(60, 15), startWait(gate(60, 15), T0), UNBOUNDED_WINDOW, api, { clock });

    expect((result as { reason: string }).reason).toMatch(new RegExp('^link link-1a2b3c4d: could not be read when the wait ended, after \\d+ s '
      + `\\(0 reads answered\\), so its status is not known to be LINKED: GetAccountLink for link link-1a2b3c4d failed: STS AssumeRole of ${ROLE} got no answer`));
  });

  test('STS refusing the role fails the gate at once', async () => {
    const clock = virtualClock();
    const refused = () => Object.assign(new Error(`STS AssumeRole of ${ROLE} failed: AccessDenied: not authorized`), { name: 'AssumeRoleError', transient: false });
    const api = credentialsFailThen(clock, 1, refused, LINKED);
    await expect(waitForStatus(LOOKUP, gate(600, 15), startWait(gate(600, 15), T0), UNBOUNDED_WINDOW, api, { clock })).rejects.toThrow(
      `GetAccountLink for link link-1a2b3c4d failed: STS AssumeRole of ${ROLE} failed: AccessDenied: not authorized`);
  });
});
