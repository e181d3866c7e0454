import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { ObservedRecord, TargetStatus } from './ledger';
import { AccountLinkStatus } from '../../src/account-link-status';
import { TargetsMetric } from '../../src/contract';

/** One target whose status changed between two observations (an ACCOUNT_LINK_CHANGED event). */
export interface StatusChange {
  readonly target: string;
  readonly before?: TargetStatus;
  readonly after: TargetStatus;
}

/**
 * Each target's status as a run or deployment leaves it: its link's, as last seen; a
 * target with no link (never invited, its invitation refused, its link deleted) is
 * LINK_NOT_FOUND, as GetAccountLink would say.
 */
export function statusesOf(targets: readonly string[], current: ReadonlyMap<string, AccountLink>): Record<string, TargetStatus> {
  const statuses: Record<string, TargetStatus> = {};
  for (const target of targets) {
    const link = current.get(target);
    statuses[target] = link?.AccountLinkStatus
      ? { status: link.AccountLinkStatus, linkId: link.AccountLinkId }
      : { status: AccountLinkStatus.LINK_NOT_FOUND };
  }
  return statuses;
}

/**
 * What changed since `before`: a target whose status or link is not what it was, or that
 * is seen for the first time; and a target no longer wanted whose pending invitation was
 * deleted (`deleted`: its link id), now LINK_NOT_FOUND. A target that left with its link
 * LINKED keeps it (the API cannot unlink): no change.
 */
export function changesBetween(
  before: ObservedRecord['statuses'] | undefined, after: ObservedRecord['statuses'], deleted: ReadonlyMap<string, string>,
): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const [target, now] of Object.entries(after)) {
    const was = before?.[target];
    if (was?.status !== now.status || was.linkId !== now.linkId) changes.push({ target, before: was, after: now });
  }
  for (const [target, linkId] of deleted) {
    if (target in after) continue;
    changes.push({ target, before: before?.[target], after: { status: AccountLinkStatus.LINK_NOT_FOUND, linkId } });
  }
  return changes.sort((a, b) => a.target.localeCompare(b.target));
}

/** The metrics that count the targets by status. */
type StatusCount = typeof TargetsMetric.TARGET_COUNT | typeof TargetsMetric.LINKED_COUNT | typeof TargetsMetric.PENDING_COUNT
  | typeof TargetsMetric.NOT_LINKED_COUNT;

/** The four counts of the metrics, from the targets' statuses. */
export function countsOf(statuses: ObservedRecord['statuses']): Record<StatusCount, number> {
  const all = Object.values(statuses);
  const linked = all.filter((s) => s.status === AccountLinkStatus.LINKED).length;
  const pending = all.filter((s) => s.status === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT).length;
  return {
    [TargetsMetric.TARGET_COUNT]: all.length,
    [TargetsMetric.LINKED_COUNT]: linked,
    [TargetsMetric.PENDING_COUNT]: pending,
    [TargetsMetric.NOT_LINKED_COUNT]: all.length - linked - pending,
  };
}
