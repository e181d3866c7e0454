import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { claim, LEASE_MS, settle } from '../../lambda/targets/fence';
import { Holder, Ledger, ResourceRecord } from '../../lambda/targets/ledger';
import { abandonRun, awaitRunEnd, claimRun, decideRun, finishRun, RunClaimant, stillRuns } from '../../lambda/targets/run-fence';
import { MAX_SERVICE_TIMEOUT_SECONDS } from '../../src/contract';
import { ledgerTable } from '../support/ledger-table';

// The run fence's decisions, case by case, then its claims against a real DynamoDB-compatible
// server (dynalite): of two deliveries of one run claiming at once, one acts; a deployment's
// claim ends a run's hold. (The end-to-end runs: test/handler/targets-reconcile.test.ts.)
const NOW = 1_800_000_000_000;
const PLACE = { source: '111122223333', region: 'eu-west-1' };
/** How long an unanswered request may still hold the resource: its longest ServiceTimeout, and a lease. */
const REQUEST_OVER_MS = MAX_SERVICE_TIMEOUT_SECONDS * 1000 + LEASE_MS;
const PROPERTIES = { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider', TargetAccountIds: ['310000000001'] };

/** A resource whose last deployment (R1, sent an hour before `at`) succeeded; `holder` and `more` change that. */
const record = (holder: Partial<Holder> = {}, more: Partial<ResourceRecord> = {}, at = NOW): ResourceRecord => ({
  state: 'live',
  ...PLACE,
  targets: ['310000000001'],
  properties: PROPERTIES,
  requests: ['R1'],
  holder: { request: 'R1', chain: 'A', turn: 1, leaseUntil: at - 3600_000 + LEASE_MS, requestTime: at - 3600_000, answered: 'SUCCESS', ...holder },
  ...more,
});
const run = (id: string, time: number, chain = 'X'): RunClaimant => ({ id, time, chain });
/** The run `id`, due at `time`, as an invocation left it. */
const ran = (id: string, time: number, more: Partial<NonNullable<ResourceRecord['run']>> = {}): Pick<ResourceRecord, 'run'> => ({
  run: { id, time, chain: 'X', leaseUntil: NOW - 60_000, after: 'R1', done: true, ...more },
});
const why = (d: ReturnType<typeof decideRun>) => ('why' in d ? d.why : undefined);
const holds = (d: ReturnType<typeof decideRun>) => ('record' in d ? d.record : undefined);

describe('decideRun', () => {
  test('no record, a deleted resource, no successful deployment yet: the run acts on nothing', () => {
    expect(why(decideRun(undefined, run('r1', NOW), NOW))).toBe('the resource has no record in this ledger table (not created yet, or by another table)');
    expect(why(decideRun(record({}, { state: 'deleted' }), run('r1', NOW), NOW))).toBe('the resource was deleted');
    // A Create still in progress (or one that failed): no properties to run with.
    expect(why(decideRun(record({ answered: undefined, requestTime: NOW - 60_000 }, { properties: undefined }), run('r1', NOW), NOW)))
      .toBe('no deployment of the resource has succeeded yet');
    expect(why(decideRun(record({ answered: 'FAILED' }, { properties: undefined }), run('r1', NOW), NOW))).toBe('no deployment of the resource has succeeded yet');
  });

  test('a run due later than now (beyond 5 minutes of clock skew) acts on nothing: it would keep every run until then from acting', () => {
    expect(holds(decideRun(record(), run('r1', NOW + 5 * 60_000), NOW))?.run).toMatchObject({ id: 'r1' });
    expect(why(decideRun(record(), run('r1', NOW + 5 * 60_000 + 1), NOW))).toBe(`it is due at ${new Date(NOW + 5 * 60_000 + 1).toISOString()}, later than now`);
    expect(why(decideRun(record(), run('r1', NaN), NOW))).toBe('it has no time it was due at');
  });

  test('a first run takes the resource with the last deployment\'s properties, and changes nothing else', () => {
    const before = record();
    const decision = holds(decideRun(before, run('r1', NOW - 5_000, 'C1'), NOW));
    expect(decision).toEqual({ ...before, run: { id: 'r1', time: NOW - 5_000, chain: 'C1', leaseUntil: NOW + LEASE_MS, after: 'R1' } });
    // A deployment that failed since holds nothing: the run goes on with the properties of the last one that succeeded.
    expect(holds(decideRun(record({ request: 'R2', answered: 'FAILED', requestTime: NOW - 60_000 }), run('r1', NOW), NOW))?.run)
      .toMatchObject({ id: 'r1', after: 'R2' });
  });

  test('a deployment unanswered within its ServiceTimeout holds the resource; after MAX_SERVICE_TIMEOUT_SECONDS + LEASE_MS the run may go on', () => {
    const sent = NOW - 10 * 60_000;
    const deploying = record({ request: 'R2', chain: 'D', answered: undefined, requestTime: sent, leaseUntil: sent + LEASE_MS });
    expect(why(decideRun(deploying, run('r1', NOW), NOW))).toBe('a deployment (request R2) holds the resource: the next run goes on after it');
    // Its chain's lease is long gone, and it still holds: a chain may be handing over, and CloudFormation waits for it.
    expect(why(decideRun(deploying, run('r1', NOW), sent + REQUEST_OVER_MS - 1))).toMatch(/^a deployment \(request R2\) holds the resource/);
    // CloudFormation gave up on it (a ServiceTimeout is at most MAX_SERVICE_TIMEOUT_SECONDS): the run goes on after it.
    expect(holds(decideRun(deploying, run('r1', NOW), sent + REQUEST_OVER_MS))?.run).toMatchObject({ id: 'r1', after: 'R2', leaseUntil: sent + REQUEST_OVER_MS + LEASE_MS });
  });

  test('the same run again: done is a repeated delivery; another chain waits out the lease, then takes the run over', () => {
    expect(why(decideRun(record({}, ran('r1', NOW)), run('r1', NOW, 'Y'), NOW))).toBe('this run was done already (a repeated delivery)');
    expect(why(decideRun(record({}, ran('r1', NOW)), run('r1', NOW, 'X'), NOW))).toBe('this run was done already (a repeated delivery)');

    const carried = record({}, ran('r1', NOW, { done: undefined, chain: 'X', leaseUntil: NOW + 1000 }));
    expect(why(decideRun(carried, run('r1', NOW, 'Y'), NOW))).toBe('another invocation carries this run');
    expect(why(decideRun(carried, run('r1', NOW, 'Y'), NOW + 999))).toBe('another invocation carries this run');
    // The invocation that carried it went quiet: at the lease's end, this one goes on, with a lease of its own.
    expect(holds(decideRun(carried, run('r1', NOW, 'Y'), NOW + 1000))?.run).toEqual({ id: 'r1', time: NOW, chain: 'Y', leaseUntil: NOW + 1000 + LEASE_MS, after: 'R1' });
  });

  test('another run in progress holds the resource within its lease; after it, a newer run goes on', () => {
    const inProgress = record({}, ran('r1', NOW - 60_000, { done: undefined, leaseUntil: NOW + 1000 }));
    expect(why(decideRun(inProgress, run('r2', NOW), NOW))).toBe('run r1 is in progress');
    expect(holds(decideRun(inProgress, run('r2', NOW), NOW + 1000))?.run).toMatchObject({ id: 'r2', time: NOW });
  });

  test('after a run: an older or same-time run acts on nothing; a newer one goes on', () => {
    const after = record({}, ran('r2', NOW));
    expect(why(decideRun(after, run('r1', NOW - 1), NOW))).toBe('run r2, due at the same time or later, ran already');
    // Two occurrences due at the same time (a schedule's and an account event's): one is enough.
    expect(why(decideRun(after, run('e1', NOW), NOW))).toBe('run r2, due at the same time or later, ran already');
    // The same holds once its lease ran out without a `done` (a run stopped by a crash).
    expect(why(decideRun(record({}, ran('r2', NOW, { done: undefined })), run('r1', NOW - 1), NOW))).toBe('run r2, due at the same time or later, ran already');
    expect(holds(decideRun(after, run('r3', NOW + 1), NOW))?.run).toEqual({ id: 'r3', time: NOW + 1, chain: 'X', leaseUntil: NOW + LEASE_MS, after: 'R1' });
  });
});

describe('claimRun, stillRuns, finishRun and abandonRun on a real ledger table', () => {
  /** One invocation's view of the resource's ledger: a client of its own, as each invocation has. */
  const { ledgerOf } = ledgerTable();
  const update = (requestId: string) => ({ RequestType: 'Update', RequestId: requestId }) as CloudFormationCustomResourceEvent;
  let resources = 0;
  /** A resource of its own for each test, its last deployment R1 succeeded. */
  async function resource(holder: Partial<Holder> = {}): Promise<string> {
    const key = `arn:aws:cloudformation:eu-west-1:111122223333:stack/runs/1|targets:${++resources}`;
    expect(await ledgerOf(key).writeResource(record(holder, {}, Date.now()), undefined)).toBe(true);
    return key;
  }

  test('deliveries of one run claiming at once: exactly one holds, the others act on nothing', async () => {
    const key = await resource();
    const time = Date.now() - 1000;
    const claims = await Promise.all(['C1', 'C2', 'C3', 'C4'].map((chain) => claimRun(ledgerOf(key), run('r1', time, chain))));

    expect(claims.filter((c) => c.kind === 'holds')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'ignored').map((c) => ('why' in c ? c.why : undefined)))
      .toEqual(['another invocation carries this run', 'another invocation carries this run', 'another invocation carries this run']);
    const winner = claims.findIndex((c) => c.kind === 'holds');
    const stored = await ledgerOf(key).resource();
    expect(stored?.value.run).toMatchObject({ id: 'r1', chain: `C${winner + 1}`, after: 'R1' });
    expect(claims[winner]).toEqual({ kind: 'holds', record: stored });
    // Only the winner still runs.
    expect(await stillRuns(ledgerOf(key), run('r1', time, `C${winner + 1}`), 'R1')).toBe(true);
    expect(await stillRuns(ledgerOf(key), run('r1', time, `C${((winner + 1) % 4) + 1}`), 'R1')).toBe(false);
  });

  test('a deployment\'s claim ends the run\'s hold at once: stillRuns is false, its finish writes nothing, and the deployment waits for it to stop', async () => {
    const key = await resource();
    const claimant = run('r1', Date.now() - 1000, 'C1');
    const claimed = await claimRun(ledgerOf(key), claimant);
    if (claimed.kind !== 'holds') throw new Error(`the run should hold: ${claimed.why}`);
    expect(await stillRuns(ledgerOf(key), claimant, claimed.record.value.holder.request)).toBe(true);

    // CloudFormation sends an Update: it claims the resource whatever the run is doing.
    const deployment = await claim(ledgerOf(key), update('R2'), { id: 'D', turn: 1, requestTime: Date.now() }, PLACE);
    expect(deployment.kind).toBe('holds');
    expect(await stillRuns(ledgerOf(key), claimant, 'R1')).toBe(false);
    expect(await finishRun(ledgerOf(key), claimant, 'R1')).toBe('lost');
    expect((await ledgerOf(key).resource())?.value.holder).toMatchObject({ request: 'R2', chain: 'D' });
    // The deployment waits until the run says it stopped (its calls in flight landed), then acts.
    expect(await awaitRunEnd(ledgerOf(key), Date.now() + 300, undefined, 50)).toBe(false);
    const waited = awaitRunEnd(ledgerOf(key), Date.now() + 10_000, undefined, 50);
    expect(await abandonRun(ledgerOf(key), claimant)).toBe(true);
    expect(await waited).toBe(true);
    expect((await ledgerOf(key).resource())?.value.run).toMatchObject({ id: 'r1', done: true });
    // While the deployment holds it, the next run acts on nothing.
    expect(await claimRun(ledgerOf(key), run('r2', Date.now(), 'C2'))).toEqual({ kind: 'ignored', why: 'a deployment (request R2) holds the resource: the next run goes on after it' });
    // The run's word that it stopped came after the claim: the deployment still records its answer, and holds no more.
    if (deployment.kind !== 'holds') throw new Error('the deployment should hold');
    expect(await settle(ledgerOf(key), deployment.record, 'SUCCESS')).toBe(true);
    expect((await ledgerOf(key).resource())?.value).toMatchObject({ holder: { request: 'R2', answered: 'SUCCESS' }, run: { id: 'r1', done: true } });
    // Another invocation of the deployment that lost its hold records nothing.
    expect(await settle(ledgerOf(key), { ...deployment.record, value: { ...deployment.record.value, holder: { ...deployment.record.value.holder, chain: 'E' } } }, 'FAILED')).toBe(false);
  });

  test('a run that finishes is done: stillRuns is false after, and another delivery of it acts on nothing', async () => {
    const key = await resource();
    const claimant = run('r1', Date.now() - 1000, 'C1');
    const claimed = await claimRun(ledgerOf(key), claimant);
    if (claimed.kind !== 'holds') throw new Error(`the run should hold: ${claimed.why}`);
    expect(await finishRun(ledgerOf(key), claimant, 'R1')).toBe('done');
    expect(await stillRuns(ledgerOf(key), claimant, 'R1')).toBe(false);
    expect(await claimRun(ledgerOf(key), run('r1', claimant.time, 'C9'))).toEqual({ kind: 'ignored', why: 'this run was done already (a repeated delivery)' });
  });

  test('a later run that comes while one is at work asks it to go round once more; the one at work finishes once more, then is done', async () => {
    const key = await resource();
    const first = run('r1', Date.now() - 60_000, 'C1');
    expect((await claimRun(ledgerOf(key), first)).kind).toBe('holds');
    expect(await claimRun(ledgerOf(key), run('r2', Date.now() - 1000, 'C2'))).toEqual({
      kind: 'ignored', why: 'run r1 is in progress: it goes round once more for this one',
    });
    // An older one (or the same time) asks nothing.
    expect(await claimRun(ledgerOf(key), run('r0', Date.now() - 120_000, 'C3'))).toEqual({ kind: 'ignored', why: 'run r1 is in progress' });
    expect(await finishRun(ledgerOf(key), first, 'R1')).toBe('again');
    expect(await stillRuns(ledgerOf(key), first, 'R1')).toBe(true);
    expect(await finishRun(ledgerOf(key), first, 'R1')).toBe('done');
  });

  test('a later run whose request to go round once more loses the race to the run at work finishing: it claims the resource itself', async () => {
    const key = await resource();
    const r1 = run('r1', Date.now() - 10_000, 'X');
    expect((await claimRun(ledgerOf(key), r1)).kind).toBe('holds');
    // r2's ledger: between its read and its conditional write, r1 ends its round (no rerun asked yet, so it is done).
    const real = ledgerOf(key);
    let r1Finished: string | undefined;
    const racing = Object.create(real) as Ledger;
    racing.writeResource = async (value, expected) => {
      r1Finished ??= await finishRun(ledgerOf(key), r1, 'R1');
      return real.writeResource(value, expected);
    };
    const r2 = await claimRun(racing, run('r2', Date.now() - 1000, 'Y'));
    expect(r1Finished).toBe('done');
    expect(r2.kind).toBe('holds');
    expect((await ledgerOf(key).resource())?.value.run).toMatchObject({ id: 'r2', chain: 'Y' });
  });

  test('a run out of rounds is done even when another asked for one more: the next run is not kept waiting for its lease', async () => {
    const key = await resource();
    const r1 = run('r1', Date.now() - 10_000, 'X');
    expect((await claimRun(ledgerOf(key), r1)).kind).toBe('holds');
    expect(await claimRun(ledgerOf(key), run('r2', Date.now() - 1000, 'Y'))).toMatchObject({ kind: 'ignored' });
    expect((await ledgerOf(key).resource())?.value.run).toMatchObject({ id: 'r1', rerun: true });
    expect(await finishRun(ledgerOf(key), r1, 'R1', Date.now(), { noMoreRounds: true })).toBe('done');
    expect((await ledgerOf(key).resource())?.value.run).toMatchObject({ id: 'r1', done: true });
    expect((await ledgerOf(key).resource())?.value.run?.rerun).toBeUndefined();
  });

  test('a Delete, even one that failed, ends the runs', async () => {
    const key = await resource({ request: 'R2', type: 'Delete', answered: 'FAILED' });
    expect(await claimRun(ledgerOf(key), run('r1', Date.now(), 'C1'))).toEqual({ kind: 'ignored', why: 'CloudFormation is deleting the resource' });
  });

  // A stack left with a request CloudFormation gave up on (UPDATE_ROLLBACK_FAILED, rollback disabled) keeps its
  // unanswered holder until the next request: runs go on meanwhile. (Found by the run fence's tests: stillRuns once asked
  // for an answered deployment, so such a run stopped at its first write.)
  test('after a deployment CloudFormation gave up on, the run that claimed the resource still runs', async () => {
    const sent = Date.now() - REQUEST_OVER_MS - 1000;
    const key = await resource({ request: 'R2', chain: 'D', answered: undefined, requestTime: sent, leaseUntil: sent + LEASE_MS });
    const claimant = run('r1', Date.now() - 1000, 'C1');
    const claimed = await claimRun(ledgerOf(key), claimant);
    expect(claimed.kind).toBe('holds');
    expect(await stillRuns(ledgerOf(key), claimant, 'R2')).toBe(true);
  });
});
