import { randomUUID } from 'node:crypto';
import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { Actor, Books, SupersededError } from './books';
import { MAX_SOURCE_LIST_PAGES, Place } from './invitations';
import { Ledger, ledgerClient, ObservedRecord, ResourceRecord, Versioned } from './ledger';
import { linkTargets, refresh, TargetsState } from './link-targets';
import { countsOf, statusesOf } from './observation';
import { activity, Counted, metricResourceOf, report } from './report';
import { TargetsRun } from './run';
import { abandonRun, claimRun, finishRun, RunClaimant, stillRuns } from './run-fence';
import { releaseAll, resolveAll } from './steps';
import { resolveTargets } from './target-set';
import { ApiContext, listAccountLinks } from '../../core/account-link-api';
import { describeError } from '../../core/describe-error';
import type { WaitWindow } from '../../core/wait-for-status';
import { AccountLinkStatus } from '../../src/account-link-status';
import { ReconcileRequest, ResourceType, TargetsMetric } from '../../src/contract';
import { functionRegion } from '../function-client';
import { functionCredentials } from '../lambda-credentials';
import { chooseLink } from '../link-choice';
import type { EventContext } from '../resource-handler';
import { parseTargetsProperties } from '../resource-properties';

/** How many times one run goes round at most when later runs keep coming while it works. */
const MAX_ROUNDS = 3;

/** What a run needs of its invocation. */
export interface RunContext {
  readonly counter: ApiContext['counter'];
  /** Aborts at the invocation's work deadline. */
  readonly signal?: AbortSignal;
  readonly window: WaitWindow;
}

/** What a run came to, for its log line. */
export type RunResult =
  | { readonly outcome: 'IGNORED'; readonly why: string }
  | { readonly outcome: 'FAILED'; readonly reason: string }
  | {
    readonly outcome: 'RECONCILED';
    /** False when the invocation's time ran out first: the next run goes on. */
    readonly finished: boolean;
    readonly counts: Readonly<Record<string, number>>;
    readonly note?: string;
  };

/**
 * A reconcile run of one AccountLinkTargets resource, between deployments, with the
 * properties of its last successful deployment (kept in the ledger): reads the units again,
 * releases the pending invitations of accounts that left, invites (and accepts through
 * acceptRoleName) accounts that joined, and reports each target's status (metrics, one
 * event per change). A target that was wanted before and whose link left the wanted status
 * (REJECTED, LINKING_FAILED, gone) is reported, never invited again by a run: a target that
 * rejected has said no, and a deployment is the place to ask again. A run holds the
 * resource through the ledger's fence (run-fence.ts), acts once per occurrence, stops at a
 * deployment's claim, and does nothing after the resource's Delete. It never hands over:
 * what one invocation cannot finish, the next run goes on with.
 */
export async function reconcile(request: ReconcileRequest, context: RunContext): Promise<RunResult> {
  const ledger = new Ledger(ledgerClient(functionRegion(), functionCredentials), request.ledgerTable,
    `${request.stackId}|${request.physicalResourceId}`, context.counter, context.signal);
  const claimant: RunClaimant = { id: request.run, time: Date.parse(request.time), chain: randomUUID() };
  const claimed = await claimRun(ledger, claimant);
  if (claimed.kind === 'ignored') return { outcome: 'IGNORED', why: claimed.why };
  const held = claimed.record;
  // What earlier rounds counted as invited or released: each round's metrics count only its own (a Sum adds them up).
  const counted: Counted = { invited: new Set(), released: new Set() };
  for (let round = 1; ; round++) {
    let result: RunResult;
    try {
      result = await work(request, context, ledger, claimant, held, counted);
    } catch (error) {
      if (!(error instanceof SupersededError)) {
        result = { outcome: 'FAILED', reason: describeError(error) };
      } else {
        // The deployment that took the resource waits for this: the run's calls in flight have landed.
        await abandonRun(ledger, claimant);
        return { outcome: 'IGNORED', why: 'a deployment took the resource during the run' };
      }
    }
    // A run that failed is done too: the next one starts afresh.
    const finished = await finishRun(ledger, claimant, held.value.holder.request);
    if (finished === 'lost') {
      await abandonRun(ledger, claimant);
      return { outcome: 'IGNORED', why: 'a deployment took the resource as the run ended' };
    }
    // Another run came meanwhile: once more, while this invocation has time (else its hold ends with the lease, and the next run goes on).
    if (finished === 'done') return round > 1 && result.outcome === 'RECONCILED' ? { ...result, note: [`round ${round}`, result.note].filter(Boolean).join('; ') } : result;
    if (result.outcome === 'FAILED' || round >= MAX_ROUNDS || Date.now() >= context.window.lastReadStartAt) {
      // No round more here: done, so that the next run is not kept waiting for the lease (it sees to what this one could not).
      if (await finishRun(ledger, claimant, held.value.holder.request, Date.now(), { noMoreRounds: true }) === 'lost') {
        await abandonRun(ledger, claimant);
        return { outcome: 'IGNORED', why: 'a deployment took the resource as the run ended' };
      }
      return result;
    }
  }
}

async function work(
  request: ReconcileRequest, context: RunContext, ledger: Ledger, claimant: RunClaimant, held: Versioned<ResourceRecord>, counted: Counted,
): Promise<RunResult> {
  const properties = held.value.properties!;
  const props = parseTargetsProperties(properties);
  const actor: Actor = { StackId: request.stackId, LogicalResourceId: request.logicalResourceId, RequestId: `reconcile:${request.run}` };
  const run = new TargetsRun(asEvent(request, actor, properties), runEventContext(context), props.callsPerSecond, props.access);
  const place: Place = { source: run.sourceAccount, region: functionRegion(props.access) };
  const books = await Books.open(ledger, actor, () => stillRuns(ledger, claimant, held.value.holder.request));
  const before = await ledger.observed();
  const notes: string[] = [];
  const state: TargetsState = {
    progress: { chain: claimant.chain, throttled: 0, targets: [], links: {}, failures: {}, answered: [], notes },
    current: new Map(),
    listing: [],
  };
  let management: string | undefined;
  const finished = await run.orPause(() => false, async () => {
    if (!await resolveAll(books, run, notes)) return false;
    const resolved = await resolveTargets(props, run, before?.value.management);
    management = resolved.management;
    state.progress.targets.push(...resolved.targets);
    notes.push(...resolved.notes);
    state.listing = await listAccountLinks([], run.source, { maxPages: MAX_SOURCE_LIST_PAGES });
    const wanted = new Set(resolved.targets);
    // Accounts that left (a unit, the lists): their pending invitations are released; LINKED links stay.
    const listed = new Map(state.listing.map((l) => [l.AccountLinkId!, l]));
    if (!await releaseAll(books, books.standing().filter((r) => !wanted.has(r.target)), run, notes, undefined, listed)) return false;
    classify(state, run.sourceAccount, knownTargets(held.value, before?.value));
    refresh(state);
    return linkTargets(books, place, props, state, run);
  });
  // Targets that are not getting there (a link rejected, failed or gone; an invitation or acceptance refused): said in the line.
  notes.push(...Object.entries(state.progress.failures).map(([target, why]) => `account ${target}: ${why}`));
  const targets = state.progress.targets;
  // A deployment that took the resource meanwhile reports what it sees: this run's view is older.
  await books.mustHold();
  // This round's own invitations and releases (the line's counts; the metrics count the same).
  const round: Counted = { invited: new Set(counted.invited), released: new Set(counted.released) };
  const done = activity(books, round);
  const counts = {
    ...countsOf(statusesOf(targets, state.current)),
    [TargetsMetric.INVITED]: done.invited,
    [TargetsMetric.RELEASED]: done.released,
    [TargetsMetric.THROTTLED]: run.throttled(),
  };
  if (!finished) {
    // Targets it did not come to would read as not linked: no metrics, no events, the statuses left as they were.
    notes.push('the invocation\'s time ran out before every target was seen to: nothing is reported; the next run goes on');
    return { outcome: 'RECONCILED', finished, counts, note: notes.join('; ') };
  }
  notes.push(...await report({
    books,
    props,
    targets,
    current: state.current,
    before: before ?? null,
    management,
    throttled: run.throttled(),
    change: {
      sourceAccountId: run.sourceAccount,
      resource: metricResourceOf(props, request.stackId, request.logicalResourceId),
      stackId: request.stackId,
      physicalResourceId: request.physicalResourceId,
      observedBy: request.trigger,
    },
    signal: context.signal,
    until: context.window.handOverAt,
    fields: { run: request.run, trigger: request.trigger },
    counted,
  }));
  return { outcome: 'RECONCILED', finished, counts, note: notes.length > 0 ? notes.join('; ') : undefined };
}

/**
 * Sorts the targets before linkTargets: one with an open link (pending, LINKED) is linked
 * already (a pending one is still accepted through the role); one wanted before whose link
 * left the wanted status, or is gone, is reported and not invited; the others joined since
 * the last run or deployment, and are invited.
 */
function classify(state: TargetsState, source: string, known: ReadonlySet<string>): void {
  const { progress, current, listing } = state;
  const fromSource = new Map<string, AccountLink[]>();
  for (const link of listing.filter((l) => l.SourceAccountId === source)) {
    fromSource.set(link.TargetAccountId!, [...fromSource.get(link.TargetAccountId!) ?? [], link]);
  }
  for (const target of progress.targets) {
    const links = fromSource.get(target) ?? [];
    const open = chooseLink(links);
    if (open) {
      progress.links[target] = open.AccountLinkId!;
      continue;
    }
    const closed = [...links].sort((a, b) => a.AccountLinkId!.localeCompare(b.AccountLinkId!))[0];
    if (closed) {
      current.set(target, closed);
      progress.failures[target] = `its link ${closed.AccountLinkId} is ${closed.AccountLinkStatus}: a run does not invite it again; `
        + 'deploy the stack again to invite it';
    } else if (known.has(target)) {
      progress.failures[target] = `its link is gone (${AccountLinkStatus.LINK_NOT_FOUND}): a run does not invite it again; `
        + 'deploy the stack again to invite it';
    }
  }
}

/**
 * The accounts wanted before: those the last run or deployment saw (one that left since is
 * not among them, and is invited when it joins again); before any was seen, the last
 * deployment's targets.
 */
function knownTargets(record: ResourceRecord, observed: ObservedRecord | undefined): Set<string> {
  return new Set(observed ? Object.keys(observed.statuses) : record.targets);
}

/** The run as TargetsRun reads a request: the function (ServiceToken) and the properties of the last deployment. */
function asEvent(request: ReconcileRequest, actor: Actor, properties: Readonly<Record<string, unknown>>): CloudFormationCustomResourceUpdateEvent {
  return {
    ...actor,
    RequestType: 'Update',
    ServiceToken: String(properties.ServiceToken ?? ''),
    ResponseURL: '',
    ResourceType: ResourceType.TARGETS,
    PhysicalResourceId: request.physicalResourceId,
    ResourceProperties: properties as CloudFormationCustomResourceUpdateEvent['ResourceProperties'],
    OldResourceProperties: properties as CloudFormationCustomResourceUpdateEvent['OldResourceProperties'],
  };
}

function runEventContext(context: RunContext): EventContext {
  return { counter: context.counter, signal: context.signal, window: context.window, requestTime: Date.now(), progress: {} };
}

