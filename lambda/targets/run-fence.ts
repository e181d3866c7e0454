import { LEASE_MS } from './fence';
import { Holder, Ledger, ResourceRecord, RunHolder, Versioned } from './ledger';
import { sleep } from '../../core/sleep';
import { MAX_SERVICE_TIMEOUT_SECONDS } from '../../src/contract';

/** How far ahead of this function's clock a run's time may be: the clocks of the Scheduler and of EventBridge are not ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** One reconcile run as the fence sees it: its occurrence, when it was due, and the invocation carrying it. */
export interface RunClaimant {
  readonly id: string;
  readonly time: number;
  readonly chain: string;
}

/** What a run's claim came to: the run acts (with the record it claimed), or it acts on nothing, and why. */
export type RunClaim =
  | { readonly kind: 'holds'; readonly record: Versioned<ResourceRecord> }
  | { readonly kind: 'ignored'; readonly why: string };

/**
 * How long after CloudFormation sent a request that was never answered the request is
 * over for certain: its ServiceTimeout (at most MAX_SERVICE_TIMEOUT_SECONDS) has passed,
 * so CloudFormation gave up on it, and a run may act with the properties of the last
 * successful deployment again.
 */
const REQUEST_OVER_MS = MAX_SERVICE_TIMEOUT_SECONDS * 1000 + LEASE_MS;

/**
 * Takes the resource for a reconcile run, or says why the run acts on nothing. A run acts
 * only between deployments, with the properties of the last successful one, and once per
 * occurrence; a deployment's claim (fence.ts) ends a run's hold at once, so a run never
 * delays CloudFormation. One conditional write: of two deliveries of a run, one wins.
 */
export async function claimRun(ledger: Ledger, run: RunClaimant, now = Date.now()): Promise<RunClaim> {
  for (;;) {
    const current = await ledger.resource();
    const decision = decideRun(current?.value, run, now);
    if ('why' in decision) {
      // A later run that came while one was at work (the first may have read the units before this one's account moved):
      // the one at work goes round once more rather than this one be lost. Once: a lost race means another said it.
      if (decision.rerun && current) {
        // The record changed since it was read (the one at work may have finished): decided again.
        if (!await ledger.writeResource({ ...current.value, run: { ...current.value.run!, rerun: true } }, current.version)) continue;
        return { kind: 'ignored', why: `${decision.why}: it goes round once more for this one` };
      }
      return { kind: 'ignored', why: decision.why };
    }
    if (await ledger.writeResource(decision.record, current!.version)) {
      return { kind: 'holds', record: { value: decision.record, version: current!.version + 1 } };
    }
  }
}

/** What a run's claim writes, or why it does not. Exported for the unit tests of each case. */
export function decideRun(
  record: ResourceRecord | undefined, run: RunClaimant, now: number,
): { readonly record: ResourceRecord } | { readonly why: string; readonly rerun?: boolean } {
  // A run is due when it comes, or before (a late delivery): one due later would make every run until then act on nothing.
  if (!Number.isFinite(run.time)) return { why: 'it has no time it was due at' };
  if (run.time > now + MAX_CLOCK_SKEW_MS) return { why: `it is due at ${new Date(run.time).toISOString()}, later than now` };
  if (!record) return { why: 'the resource has no record in this ledger table (not created yet, or by another table)' };
  if (record.state === 'deleted') return { why: 'the resource was deleted' };
  if (!record.properties) return { why: 'no deployment of the resource has succeeded yet' };
  const deployment = record.holder;
  // A Delete that failed leaves the resource to CloudFormation's next try (or the stack's end): no run invites for it.
  if (deployment.type === 'Delete') return { why: 'CloudFormation is deleting the resource' };
  if (deploymentHolds(deployment, now)) {
    return { why: `a deployment (request ${deployment.request}) holds the resource: the next run goes on after it` };
  }
  const last = record.run;
  const holder: RunHolder = { id: run.id, time: run.time, chain: run.chain, leaseUntil: now + LEASE_MS, after: deployment.request };
  if (last?.id === run.id) {
    if (last.done) return { why: 'this run was done already (a repeated delivery)' };
    if (last.chain !== run.chain && now < last.leaseUntil) return { why: 'another invocation carries this run' };
    // The invocation that carried it went quiet (a crash, a timeout): this one goes on.
    return { record: { ...record, run: holder } };
  }
  // A run a deployment took the resource from since is over, whether or not it said so.
  if (last && !last.done && last.after === deployment.request && now < last.leaseUntil) {
    return { why: `run ${last.id} is in progress`, rerun: run.time > last.time && !last.rerun };
  }
  if (last && run.time <= last.time) return { why: `run ${last.id}, due at the same time or later, ran already` };
  return { record: { ...record, run: holder } };
}

/**
 * Whether a deployment holds the resource: its request is not answered, and may still be
 * (CloudFormation has not given up on it, and the chain carrying it has not gone quiet).
 */
function deploymentHolds(holder: Holder, now: number): boolean {
  return !holder.answered && (now < holder.leaseUntil || now < (holder.requestTime ?? 0) + REQUEST_OVER_MS);
}

/**
 * Whether the run still holds the resource: no deployment claimed it since (its request
 * is still the one the run ran after, and no invocation carries that one on), and no other
 * invocation took the run over.
 */
export async function stillRuns(ledger: Ledger, run: RunClaimant, after: string, now = Date.now()): Promise<boolean> {
  const record = (await ledger.resource())?.value;
  const held = record?.run;
  return record !== undefined && record.state === 'live' && record.holder.request === after && !deploymentHolds(record.holder, now)
    && held?.id === run.id && held.chain === run.chain && !held.done;
}

/**
 * Records that a run a deployment took the resource from has stopped: the deployment
 * waits for it (awaitRunEnd) before it acts, so that no call of the run's lands after the
 * deployment's. False when the record no longer names this run (another wrote since).
 */
export async function abandonRun(ledger: Ledger, run: RunClaimant): Promise<boolean> {
  for (;;) {
    const current = await ledger.resource();
    const held = current?.value.run;
    if (!current || held?.id !== run.id || held.chain !== run.chain || held.done) return false;
    if (await ledger.writeResource({ ...current.value, run: { ...held, done: true } }, current.version)) return true;
  }
}

/**
 * Waits, after a deployment's claim, for a run that held the resource to stop (it sees the
 * claim at its next look at the fence, ends the calls it has in flight, and says so:
 * abandonRun), or for its lease to end, or until `until`. Answers whether it stopped.
 */
export async function awaitRunEnd(ledger: Ledger, until: number, signal?: AbortSignal, pollMs = 250): Promise<boolean> {
  for (;;) {
    const run = (await ledger.resource())?.value.run;
    if (!run || run.done || Date.now() >= run.leaseUntil) return true;
    if (Date.now() >= until) return false;
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())), signal);
  }
}

/**
 * Ends the run's turn: `done`, or `again` when a later run asked it to go round once more
 * (its hold renewed; never with `noMoreRounds`), or `lost` when it no longer holds the
 * resource (a deployment took it).
 */
export async function finishRun(
  ledger: Ledger, run: RunClaimant, after: string, now = Date.now(), more: { readonly noMoreRounds?: boolean } = {},
): Promise<'done' | 'again' | 'lost'> {
  for (;;) {
    const current = await ledger.resource();
    const record = current?.value;
    const held = record?.run;
    if (!record || record.state !== 'live' || record.holder.request !== after || deploymentHolds(record.holder, now)
      || held?.id !== run.id || held.chain !== run.chain || held.done) return 'lost';
    const again = held.rerun && !more.noMoreRounds;
    const next: RunHolder = again ? { ...held, rerun: undefined, leaseUntil: now + LEASE_MS } : { ...held, rerun: undefined, done: true };
    if (await ledger.writeResource({ ...record, run: next }, current!.version)) return again ? 'again' : 'done';
  }
}
