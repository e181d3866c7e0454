import { randomUUID } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { apiErrorName, listAccountLinks } from '../../core/account-link-api';
import { describeError } from '../../core/describe-error';
import { sleep } from '../../core/sleep';
import { AccountLinkStatus } from '../../src/account-link-status';
import { LEDGER_TABLE_ENV, Property } from '../../src/contract';
import { functionRegion } from '../function-client';
import { functionCredentials } from '../lambda-credentials';
import { CreateOrUpdateEvent, EventContext, failurePhysicalId, ResourceHandler } from '../resource-handler';
import { parseTargetsProperties, TargetsProperties } from '../resource-properties';
import type { HandOver, Ignored, Outcome } from '../resource-response';
import { listsTooLargeReason, notThereReason, targetsData } from './answer';
import { Books, SupersededError } from './books';
import { Chain, claim, settle, stillHolds } from './fence';
import { MAX_SOURCE_LIST_PAGES, Place } from './invitations';
import { Ledger, ledgerClient, LedgerError, ledgerTableName, ResourceRecord, Versioned } from './ledger';
import { isPending, linkTargets, refresh, TargetsState } from './link-targets';
import { ChainProgress, readChainProgress, readProgress, readReleaseProgress, ReleaseProgress, TargetsProgress } from './progress';

// A reconcile run loads this file too (lambda/index.ts): it shares the targets' code.
export { runReconcile } from './run-reconcile';
import { metricResourceOf, report } from './report';
import { TargetsRun } from './run';
import { awaitRunEnd } from './run-fence';
import { releaseAll, resolveAll } from './steps';
import { resolveTargets } from './target-set';

/**
 * `Custom::WorkSpacesAccountLinkTargets`, in the source account: links a set of target
 * accounts (named, and the accounts of organizational units) through one resource, its
 * WorkSpaces calls paced by one CallPacer, its books kept in the provider's ledger table.
 * Each request claims the resource in the ledger first (one request, and one chain of
 * invocations of it, acts at a time), then reconciles in three steps: release (the
 * pending invitations the resource recorded to accounts it no longer wants), link (invite,
 * accept through the role), wait (for the required status). Work that outlasts an
 * invocation is handed over with its progress; its one answer is recorded before it is sent.
 */
export const targetsHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const props = parseTargetsProperties(event.ResourceProperties);
    // The chain goes on even when its first invocation was cut off before it resolved the targets.
    const chained = readChainProgress(context.handedOverProgress);
    const handedOver = readProgress(context.handedOverProgress);
    const run = new TargetsRun(event, context, props.callsPerSecond, props.access, chained?.throttled);
    const place: Place = { source: run.sourceAccount, region: functionRegion(props.access) };
    const physicalResourceId = physicalIdOf(event, run, place);
    // A failed Create answers this id too: its rollback's Delete removes what it invited.
    context.progress.physicalIdOnFailure = physicalResourceId;
    const movedBooks = event.RequestType === 'Update' ? ledgerTableMove(event.OldResourceProperties, props) : undefined;
    if (movedBooks) return { status: 'FAILED', physicalResourceId, reason: movedBooks };
    const held = await hold(event, context, run, physicalResourceId, place, chained, props);
    if ('status' in held) return held;
    const { books, record, chain } = held;
    let state: TargetsState | undefined;
    // Where this invocation's work stops: the request is out of time (it answers), or the invocation is (it hands over).
    const pause = (): Outcome | HandOver => {
      const progress = state?.progress ?? handedOver;
      if (!run.timeOver()) return run.handOver({ ...progress, chain: chain.id, throttled: run.throttled() });
      const done = progress ? `${Object.keys(progress.links).length} of ${progress.targets.length} targets invited` : 'no target resolved';
      return outOfTime(event, context, run, `the targets were not linked within the ${Math.round((run.wait.endsAt - run.wait.startedAt) / 1000)} s `
        + `the resource's ServiceTimeout leaves (${done})`);
    };
    // What the deployment saw is reported (metrics, events) before its verdict is recorded: no run starts in between.
    // Only once every target was seen to: one the work did not come to would read as not linked.
    let seenAll = false;
    const reported = async (outcome: Outcome): Promise<Outcome> => {
      if (!state || !seenAll) return outcome;
      const notes = await report({
        books,
        props,
        targets: state.progress.targets,
        current: state.current,
        management: state.progress.management,
        throttled: run.throttled(),
        change: {
          sourceAccountId: run.sourceAccount,
          resource: metricResourceOf(props, event.StackId, event.LogicalResourceId),
          stackId: event.StackId,
          physicalResourceId: outcome.physicalResourceId,
          observedBy: 'deployment',
        },
        signal: context.signal,
        until: context.window.handOverAt,
        fields: { request: event.RequestId, requestType: event.RequestType },
      });
      if (notes.length === 0 || outcome.status !== 'SUCCESS') return outcome;
      return { ...outcome, note: [outcome.note, ...notes].filter(Boolean).join('; ') };
    };
    return answerOnce(event, run, books, record, async () => {
      if (run.timeOver()) return pause();
      return run.orPause(pause, async () => {
        const start = handedOver ?? await firstProgress(props, run, chain.id);
        state = {
          progress: {
            ...start, links: { ...start.links }, failures: { ...start.failures }, answered: [...start.answered], notes: [...start.notes],
          },
          current: new Map(),
          listing: [],
        };
        if (!await resolveAll(books, run, state.progress.notes)) return pause();
        state.listing = await listAccountLinks([], run.source, { maxPages: MAX_SOURCE_LIST_PAGES });
        const wanted = new Set(state.progress.targets);
        // Accounts the resource invited before and no longer wants (removed from the list, left a unit): released.
        const unwanted = books.standing().filter((r) => !wanted.has(r.target));
        const listed = new Map(state.listing.map((l) => [l.AccountLinkId!, l]));
        if (!await releaseAll(books, unwanted, run, state.progress.notes, undefined, listed)) return pause();
        refresh(state);
        if (!await linkTargets(books, place, props, state, run)) return pause();
        seenAll = true;
        return awaitStatus(event, props, state, run, physicalResourceId);
      });
    }, (verdict) => (verdict.status === 'SUCCESS' ? { targets: state?.progress.targets ?? [], properties: event.ResourceProperties } : {}),
    // A failed Update keeps the old physical id, so no Delete will ever come for a new place: it releases what it invited there.
    physicalResourceId !== failurePhysicalId(event, context.progress) ? (failed) => undoMove(books, run, failed) : undefined, reported);
  },

  async delete(event, context) {
    let props: TargetsProperties;
    try {
      props = parseTargetsProperties(event.ResourceProperties);
    } catch {
      // Properties no Create accepted: nothing was invited.
      return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
    }
    const handedOver = readReleaseProgress(context.handedOverProgress);
    const run = new TargetsRun(event, context, props.callsPerSecond, props.access, handedOver?.throttled);
    const place: Place = { source: run.sourceAccount, region: functionRegion(props.access) };
    const held = await hold(event, context, run, event.PhysicalResourceId, place, handedOver, props);
    if ('status' in held) return held;
    const { books, record, chain } = held;
    const progress: ReleaseProgress = handedOver ?? { chain: chain.id, throttled: 0, deleted: 0, notes: [] };
    const notes = [...progress.notes];
    let deleted = progress.deleted;
    const pause = (): Outcome | HandOver => (run.timeOver()
      ? outOfTime(event, context, run, `the pending invitations were not all removed within the resource's ServiceTimeout (${deleted} deleted)`)
      : run.handOver({ chain: chain.id, throttled: run.throttled(), deleted, notes }));
    return answerOnce(event, run, books, record, async () => {
      if (run.timeOver()) return pause();
      return run.orPause(pause, async () => {
        // What the ledger holds, not a listing of the source's links: no other resource's invitation is ever touched.
        if (!await releaseAll(books, books.standing(), run, notes, () => deleted++)) return pause();
        const note = [`deleted ${deleted} pending invitations of this resource; its LINKED links stay: the API cannot unlink`, ...notes].join('; ');
        return { status: 'SUCCESS' as const, physicalResourceId: event.PhysicalResourceId, note, reason: note };
      });
    }, (outcome) => (outcome.status === 'SUCCESS' ? { state: 'deleted' } : {}));
  },
};

/**
 * The physical id: a Create's own, `targets:<RequestId>`; an Update keeps the resource's
 * unless it moves the invitations to another source account or Region: then it is a new
 * resource (`targets:<RequestId>`), and CloudFormation's cleanup Delete of the old id
 * releases the old place's invitations.
 */
function physicalIdOf(event: CreateOrUpdateEvent, run: TargetsRun, place: Place): string {
  if (event.RequestType === 'Create') return `targets:${event.RequestId}`;
  let old: Place | undefined;
  try {
    const oldProps = parseTargetsProperties(event.OldResourceProperties);
    old = { source: oldProps.access.assumeRoleArn?.split(':')[4] ?? run.functionAccount, region: functionRegion(oldProps.access) };
  } catch {
    // Old properties no request accepted: the resource invited nothing.
  }
  return old && (old.source !== place.source || old.region !== place.region) ? `targets:${event.RequestId}` : event.PhysicalResourceId;
}

/** Why an Update may not name another ledger table than its resource's books are in, if it does. */
function ledgerTableMove(oldProperties: Record<string, unknown>, props: TargetsProperties): string | undefined {
  const before = oldProperties[Property.LEDGER_TABLE];
  if (typeof before !== 'string' || before === props.ledgerTable) return undefined;
  return `${Property.LEDGER_TABLE} changed from ${before} to ${props.ledgerTable ?? 'none'}: the resource's books are in ${before}, `
    + 'and a new table would not know its invitations; give the resource a new logical id to start its books afresh';
}

/**
 * The ledger and this invocation's claim on the request: the books to act with, or what
 * to do instead (no ledger table: a clear failure, or for a Delete, nothing to look up;
 * another request or chain holds the resource: nothing at all).
 */
async function hold(
  event: CloudFormationCustomResourceEvent, context: EventContext, run: TargetsRun, physicalResourceId: string, place: Place,
  handedOver: ChainProgress | undefined, props: TargetsProperties,
): Promise<{ readonly books: Books; readonly record: Versioned<ResourceRecord>; readonly chain: Chain } | Outcome | Ignored> {
  // The resource's own table first: the last AccountLinkTargets of a stack is deleted after the function lost its variable.
  const table = props.ledgerTable ?? ledgerTableName();
  if (!table) {
    if (event.RequestType === 'Delete') {
      return { status: 'SUCCESS', physicalResourceId, note: `the provider has no ledger table (${LEDGER_TABLE_ENV} is not set): no invitation of this resource is known` };
    }
    return {
      status: 'FAILED',
      physicalResourceId: failurePhysicalId(event, context.progress),
      reason: `the provider has no ledger table (${LEDGER_TABLE_ENV} is not set): AccountLinkTargets keeps its invitations there; `
        + 'deploy the stack with this library\'s AccountLinksProvider, which creates it',
    };
  }
  const region = functionRegion();
  const ledger = new Ledger(ledgerClient(region, functionCredentials), table, `${event.StackId}|${physicalResourceId}`, context.counter, run.signal);
  const chain: Chain = {
    id: handedOver?.chain ?? randomUUID(),
    turn: context.handedOver?.invocations ?? 1,
    requestTime: context.requestTime,
  };
  let claimed;
  try {
    claimed = await claim(ledger, event, chain, place);
  } catch (error) {
    // A Delete whose table does not exist (a Create that failed for that reason) has no books, so nothing to release.
    if (event.RequestType === 'Delete' && error instanceof LedgerError && apiErrorName(error.cause) === 'ResourceNotFoundException') {
      return { status: 'SUCCESS', physicalResourceId, note: `${error.message}: no invitation of this resource is known` };
    }
    throw error;
  }
  if (claimed.kind === 'ignored') return { status: 'IGNORED', why: claimed.why };
  // A reconcile run that held the resource stops at its next look at the fence: what it has in flight lands first.
  if (claimed.record.value.run && !claimed.record.value.run.done) {
    await awaitRunEnd(ledger, Math.min(claimed.record.value.run.leaseUntil, context.window.lastReadStartAt), run.signal);
  }
  return { books: await Books.open(ledger, event, () => stillHolds(ledger, event, chain)), record: claimed.record, chain };
}

/**
 * Runs the request's work and records its verdict in the ledger before it is answered: a
 * request that no longer holds the resource then answers nothing (one answer a request).
 * `change` is what the verdict makes of the resource's record; `beforeSettling` reports it
 * while the request still holds the resource.
 */
async function answerOnce(
  event: CloudFormationCustomResourceEvent, run: TargetsRun, books: Books, record: Versioned<ResourceRecord>,
  work: () => Promise<Outcome | HandOver>, change: (outcome: Outcome) => Partial<ResourceRecord>,
  beforeFailing?: (outcome: Outcome) => Promise<Outcome>, beforeSettling?: (outcome: Outcome) => Promise<Outcome>,
): Promise<Outcome | HandOver | Ignored> {
  let outcome: Outcome | HandOver;
  try {
    outcome = await work();
    if (outcome.status === 'FAILED' && beforeFailing) outcome = await beforeFailing(outcome);
  } catch (error) {
    if (error instanceof SupersededError) return { status: 'IGNORED', why: error.message };
    outcome = { status: 'FAILED', physicalResourceId: failurePhysicalId(event, run.context.progress), reason: describeError(error) };
  }
  if (outcome.status === 'HANDED_OVER') return outcome;
  if (beforeSettling) outcome = await beforeSettling(outcome);
  if (!await settle(books.ledger, record, outcome.status, change(outcome))) {
    return { status: 'IGNORED', why: 'the request no longer held the resource when it was to answer' };
  }
  return outcome;
}

/**
 * A failed Update that moved the invitations to another place answers the old physical id
 * (a failed update is no replacement), so CloudFormation never deletes the new one: what it
 * invited there is released now, and the reason says so (or what is left).
 */
async function undoMove(books: Books, run: TargetsRun, outcome: Outcome): Promise<Outcome> {
  if (outcome.status !== 'FAILED') return outcome;
  const notes: string[] = [];
  let deleted = 0;
  let done = false;
  try {
    done = await releaseAll(books, books.standing(), run, notes, () => deleted++);
  } catch (error) {
    if (error instanceof SupersededError) throw error;
    notes.push(describeError(error));
  }
  const left = done ? '' : `; ${books.standing().length} are left: ${notes.join('; ') || 'out of time'}`;
  return { ...outcome, reason: `${outcome.reason} (the update moved the invitations to account ${run.sourceAccount}: deleted the ${deleted} it made there${left})` };
}

/** A request whose time is over: FAILED, saying how far it got, and blaming throttling only when calls were throttled. */
function outOfTime(event: CloudFormationCustomResourceEvent, context: EventContext, run: TargetsRun, what: string): Outcome {
  const throttled = run.throttled();
  const why = throttled > 0 ? `the API throttled ${throttled} calls` : 'no call was throttled: calls failed or waited for their answers';
  const again = event.RequestType === 'Delete' ? 'delete the stack again to go on' : 'deploy again to go on';
  return { status: 'FAILED', physicalResourceId: failurePhysicalId(event, context.progress), reason: `${what}: ${why}; ${again}` };
}

/** A request's start, in its first invocation: the targets (Organizations is read once a request). */
async function firstProgress(props: TargetsProperties, run: TargetsRun, chain: string): Promise<TargetsProgress> {
  const { targets, notes, management } = await resolveTargets(props, run);
  return { chain, throttled: 0, targets, links: {}, failures: {}, answered: [], notes, management };
}

/**
 * The verdict: with a gate, once every target has the required status, or one has another
 * status (or failed), or the wait is over; targets still pending are read again every poll
 * interval (one listing for all of them), handing over when the next read falls after
 * this invocation.
 */
async function awaitStatus(
  event: CreateOrUpdateEvent, props: TargetsProperties, state: TargetsState, run: TargetsRun, physicalResourceId: string,
): Promise<Outcome | HandOver> {
  const { progress, current } = state;
  const gate = props.gate;
  const waitEndsAt = gate ? Math.min(run.wait.endsAt, run.wait.startedAt + gate.waitTimeoutSeconds * 1000) : run.wait.endsAt;
  let reads = run.wait.reads;
  for (;;) {
    const missing = progress.targets.filter((t) => t in progress.failures
      || (gate !== undefined && current.get(t)?.AccountLinkStatus !== gate.requiredStatus));
    const undecided = missing.filter((t) => !(t in progress.failures) && isPending(current.get(t)));
    const now = Date.now();
    if (missing.length > 0 && (undecided.length < missing.length || !gate || now >= waitEndsAt)) {
      return {
        status: 'FAILED',
        physicalResourceId: failurePhysicalId(event, run.context.progress),
        reason: notThereReason(progress, current, missing, gate?.requiredStatus, { ms: now - run.wait.startedAt, reads }),
        wait: { ...run.wait, reads, nextReadAt: Math.min(now, run.wait.endsAt) },
      };
    }
    if (missing.length === 0) return answer(props, state, event, physicalResourceId);
    const nextReadAt = Math.min(now + gate!.pollIntervalSeconds * 1000, waitEndsAt);
    if (nextReadAt > run.context.window.lastReadStartAt) {
      await sleep(Math.max(0, run.context.window.handOverAt - Date.now()), run.context.signal);
      return run.handOver({ ...progress, throttled: run.throttled() }, reads);
    }
    await sleep(Math.max(0, nextReadAt - Date.now()), run.context.signal);
    state.listing = await listAccountLinks([], run.source, { maxPages: MAX_SOURCE_LIST_PAGES });
    reads++;
    refresh(state);
  }
}

/**
 * SUCCESS with the counts, and the lists while they fit (a template that references lists
 * that do not fit fails, saying why); the notes (links that stay although no longer
 * wanted, accounts skipped) go to the log and the answer's reason.
 */
function answer(props: TargetsProperties, { progress, current }: TargetsState, event: CreateOrUpdateEvent, physicalResourceId: string): Outcome {
  const linked = progress.targets.filter((t) => current.get(t)?.AccountLinkStatus === AccountLinkStatus.LINKED).length;
  const data = targetsData(event, physicalResourceId, progress.targets, progress.links, linked);
  const notes: string[] = [...progress.notes];
  if (!data.fits) {
    if (props.answerLists) return { status: 'FAILED', physicalResourceId, reason: listsTooLargeReason(progress.targets.length, data.size) };
    notes.push(`the lists of ${progress.targets.length} targets (${data.size} bytes) do not fit an answer: only the counts were answered`);
  }
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  return { status: 'SUCCESS', physicalResourceId, data: data.data, note, reason: note };
}
