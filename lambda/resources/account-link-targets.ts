import { listAccountLinks } from '../../core/account-link-api';
import { sleep } from '../../core/sleep';
import { AccountLinkStatus } from '../../src/account-link-status';
import { parseTargetsProperties, TargetsProperties } from '../resource-properties';
import type { HandOver, Outcome } from '../resource-response';
import { CreateOrUpdateEvent, failed, ResourceHandler } from './resource-handler';
import { listsTooLargeReason, notThereReason, targetsData } from '../targets/answer';
import { owns, remove } from '../targets/invitations';
import { isPending, linkTargets, refresh, TargetsState } from '../targets/link-targets';
import { readProgress, readReleaseProgress } from '../targets/progress';
import { TargetsRun } from '../targets/run';
import { firstProgress } from '../targets/target-set';

/**
 * `Custom::WorkSpacesAccountLinkTargets`, in the source account: links a set of target
 * accounts (named, and the accounts of organizational units) through one resource, its
 * WorkSpaces calls paced by one CallPacer. Each request reconciles, in three steps:
 * release (an Update's removed targets), link (invite, accept through the role), wait
 * (for the required status). Work that outlasts an invocation is handed over with its
 * progress; every step is safe to run again, so a duplicate delivery, or a successor
 * cut off mid-call, reaches the same verdict.
 */
export const targetsHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const props = parseTargetsProperties(event.ResourceProperties);
    const physicalResourceId = event.RequestType === 'Update' ? event.PhysicalResourceId : `targets:${event.RequestId}`;
    // A failed Create answers this id too: its rollback's Delete removes what it invited.
    context.progress.physicalIdOnFailure = physicalResourceId;
    const run = new TargetsRun(event, context, props.callsPerSecond, props.access);
    const handedOver = readProgress(context.handedOverProgress);
    if (run.timeOver()) {
      const done = handedOver ? `${Object.keys(handedOver.links).length} of ${handedOver.targets.length} targets invited` : 'no target resolved';
      return failed(event, context, `the targets were not linked within the ${Math.round((run.wait.endsAt - run.wait.startedAt) / 1000)} s `
        + `the resource's ServiceTimeout leaves (${done}): the API kept throttling or failing; deploy again to go on`);
    }
    const start = handedOver ?? await firstProgress(event, props, run);
    const state: TargetsState = {
      progress: {
        ...start,
        links: { ...start.links },
        failures: { ...start.failures },
        answered: [...start.answered],
        removed: [...start.removed],
        notes: [...start.notes],
      },
      current: new Map(),
      listing: [],
    };
    return run.orHandOver(() => state.progress, async () => {
      state.listing = await listAccountLinks([], run.source);
      refresh(state);
      if (!await release(event, state, run) || !await linkTargets(event, props, state, run)) return run.handOver(state.progress);
      return awaitStatus(event, props, state, run, physicalResourceId);
    });
  },

  async delete(event, context) {
    const done = { status: 'SUCCESS' as const, physicalResourceId: event.PhysicalResourceId };
    let props: TargetsProperties;
    try {
      props = parseTargetsProperties(event.ResourceProperties);
    } catch {
      // Properties no Create accepted: nothing was invited.
      return done;
    }
    const run = new TargetsRun(event, context, props.callsPerSecond, props.access);
    const progress = readReleaseProgress(context.handedOverProgress) ?? { checked: [], deleted: 0 };
    if (run.timeOver()) {
      return failed(event, context, `the pending invitations were not all removed within the resource's ServiceTimeout (${progress.deleted} deleted): `
        + 'the API kept throttling or failing; delete the stack again to go on');
    }
    const checked = new Set(progress.checked);
    let deleted = progress.deleted;
    const sofar = () => ({ checked: [...checked], deleted });
    return run.orHandOver(sofar, async () => {
      // Every pending invitation from this account is a candidate: its tokens tell whether it is this resource's.
      const links = await listAccountLinks([], run.source);
      for (const link of links.filter((l) => l.SourceAccountId === run.sourceAccount && isPending(l) && !checked.has(l.AccountLinkId!))) {
        if (run.timeUp()) return run.handOver(sofar());
        if (await owns(event, link.TargetAccountId!, link.AccountLinkId!, run.source)
          && await remove(link.AccountLinkId!, run.source) === 'deleted') deleted++;
        checked.add(link.AccountLinkId!);
      }
      return { ...done, note: `deleted ${deleted} pending invitations of this resource; its LINKED links stay: the API cannot unlink` };
    });
  },
};

/**
 * An Update's removed targets: this resource's pending invitations to them are deleted;
 * a LINKED link stays (the API cannot unlink) and is noted. False when time ran out.
 */
async function release(event: CreateOrUpdateEvent, { progress, listing }: TargetsState, run: TargetsRun): Promise<boolean> {
  while (progress.removed.length > 0) {
    if (run.timeUp()) return false;
    const target = progress.removed[0];
    for (const link of listing.filter((l) => l.SourceAccountId === run.sourceAccount && l.TargetAccountId === target)) {
      if (link.AccountLinkStatus === AccountLinkStatus.LINKED) {
        progress.notes.push(`account ${target} was removed but its link ${link.AccountLinkId} is LINKED and stays: the API cannot unlink`);
      } else if (isPending(link) && await owns(event, target, link.AccountLinkId!, run.source)) {
        await remove(link.AccountLinkId!, run.source);
        progress.notes.push(`deleted the pending invitation ${link.AccountLinkId} of removed account ${target}`);
      }
    }
    progress.removed.shift();
  }
  return true;
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
      return failed(event, run.context, notThereReason(progress, current, missing, gate?.requiredStatus, { ms: now - run.wait.startedAt, reads }),
        { ...run.wait, reads, nextReadAt: Math.min(now, run.wait.endsAt) });
    }
    if (missing.length === 0) return answer(event, props, state, physicalResourceId);
    const nextReadAt = Math.min(now + gate!.pollIntervalSeconds * 1000, waitEndsAt);
    if (nextReadAt > run.context.window.lastReadStartAt) {
      await sleep(Math.max(0, run.context.window.handOverAt - Date.now()), run.context.signal);
      return run.handOver(progress, reads);
    }
    await sleep(Math.max(0, nextReadAt - Date.now()), run.context.signal);
    state.listing = await listAccountLinks([], run.source);
    reads++;
    refresh(state);
  }
}

/** SUCCESS with the counts, and the lists while they fit (a template that references lists that do not fit fails, saying why). */
function answer(event: CreateOrUpdateEvent, props: TargetsProperties, { progress, current }: TargetsState, physicalResourceId: string): Outcome {
  const linked = progress.targets.filter((t) => current.get(t)?.AccountLinkStatus === AccountLinkStatus.LINKED).length;
  const data = targetsData(event, physicalResourceId, progress.targets, progress.links, linked);
  const notes: string[] = [...progress.notes];
  if (!data.fits) {
    if (props.answerLists) return { status: 'FAILED', physicalResourceId, reason: listsTooLargeReason(progress.targets.length, data.size) };
    notes.push(`the lists of ${progress.targets.length} targets (${data.size} bytes) do not fit an answer: only the counts were answered`);
  }
  return { status: 'SUCCESS', physicalResourceId, data: data.data, note: notes.length > 0 ? notes.join('; ') : undefined };
}

