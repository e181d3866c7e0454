import type { AccountLink } from '@aws-sdk/client-workspaces';
import { describeError } from '../../core/describe-error';
import { AccountLinkStatus } from '../../src/account-link-status';
import { chooseLink } from '../link-choice';
import type { TargetsProperties } from '../resource-properties';
import { Books, SupersededError } from './books';
import { invite, Place } from './invitations';
import type { TargetsProgress } from './progress';
import type { TargetsRun } from './run';
import { answerInvitation } from '../answer-invitation';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A request's progress as its invocation changes it, and each target's link as last seen. */
export interface TargetsState {
  readonly progress: Mutable<TargetsProgress>;
  readonly current: Map<string, AccountLink>;
  /** The source account's links, as last listed. */
  listing: AccountLink[];
}

export function isPending(link: AccountLink | undefined): boolean {
  return link?.AccountLinkStatus === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT;
}

/** Each target's link as `state.listing` has it; a link no longer listed is LINK_NOT_FOUND. */
export function refresh(state: TargetsState): void {
  const byId = new Map(state.listing.map((l) => [l.AccountLinkId!, l]));
  for (const [target, linkId] of Object.entries(state.progress.links)) {
    const gone = { AccountLinkId: linkId, AccountLinkStatus: AccountLinkStatus.LINK_NOT_FOUND, TargetAccountId: target };
    state.current.set(target, byId.get(linkId) ?? gone);
  }
}

/**
 * Invites each target that has no open link from this account (or finds the one it has),
 * then, with `acceptRoleName`, accepts through the role in the target, each once a request.
 * A few targets at a time: the pacer, not the workers, sets the rate. False when the
 * invocation's time ran out first (the rest is handed over).
 */
export async function linkTargets(books: Books, place: Place, props: TargetsProperties, state: TargetsState, run: TargetsRun): Promise<boolean> {
  const { progress, current } = state;
  const answered = new Set(progress.answered);
  const needsAnswer = (link: AccountLink | undefined, target: string) =>
    props.acceptRoleName !== undefined && isPending(link) && !answered.has(target);
  // Each target is invited (or its open link found) once a request: one whose earlier link was rejected, failed or
  // deleted is invited again, but a target that rejects during the request is its verdict, not a reason to invite again.
  const todo = progress.targets.filter((t) => !(t in progress.failures) && (!(t in progress.links) || needsAnswer(current.get(t), t)));

  const step = async (target: string) => {
    let link = current.get(target);
    if (!(target in progress.links)) {
      try {
        link = chooseLink(state.listing.filter((l) => l.SourceAccountId === run.sourceAccount && l.TargetAccountId === target))
          ?? await invite(books, place, target, run.source);
      } catch (error) {
        // Cut off (the successor invites with the same token), superseded, or refused for this target alone.
        if (run.mustHandOver(error) || error instanceof SupersededError) throw error;
        progress.failures[target] = describeError(error);
        return;
      }
      if (!link) {
        const reverse = chooseLink(state.listing.filter((l) => l.SourceAccountId === target && l.TargetAccountId === run.sourceAccount));
        progress.failures[target] = reverse
          ? `it invited this account (link ${reverse.AccountLinkId}, ${reverse.AccountLinkStatus}): a link in that direction cannot be used`
          : 'CreateAccountLinkInvitation answered ConflictException: it is invited or linked by another account';
        return;
      }
      progress.links[target] = link.AccountLinkId!;
      current.set(target, link);
    }
    if (!needsAnswer(link, target)) return;
    const access = { assumeRoleArn: `arn:${run.partition}:iam::${target}:role/${props.acceptRoleName}`, region: props.access.region };
    try {
      // An acceptance is for good: only while the request still holds the resource, checked as each attempt leaves.
      const api = { ...await run.assumedApi(access), fence: () => books.mustHold() };
      const answer = await answerInvitation(books.event, { invitation: { linkId: link!.AccountLinkId! }, reject: false, access }, api);
      current.set(target, answer.link);
    } catch (error) {
      // Cut off (the successor accepts again, with the same token: at most once), or superseded.
      if (run.mustHandOver(error) || error instanceof SupersededError) throw error;
      progress.failures[target] = `could not accept as ${access.assumeRoleArn}: ${describeError(error)}`;
    }
    answered.add(target);
    progress.answered.push(target);
  };

  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (next < todo.length && !stopped) {
      if (run.timeUp()) {
        stopped = true;
        return;
      }
      try {
        await step(todo[next++]);
      } catch (error) {
        // The others stop too, and end their step, before the error is answered: no call
        // (no invitation) may follow the answer, or a rollback that removed what was invited.
        stopped = true;
        throw error;
      }
    }
  };
  // A call takes far less than a turn: a worker for every 2 calls a second keeps the pacer busy without queueing.
  const ended = await Promise.allSettled(Array.from({ length: Math.min(4, Math.ceil(props.callsPerSecond / 2)) }, worker));
  const failure = ended.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  return !stopped;
}
