import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { remedy } from '../../core/gate-reasons';
import { AccountLinkStatus } from '../../src/account-link-status';
import { LIST_SEPARATOR, TargetsAttribute } from '../../src/contract';
import { byteLength, MAX_RESPONSE_BYTES } from '../resource-response';
import type { TargetsProgress } from './progress';

/**
 * Why targets did not get there, for the FAILED answer: targets of the same status share
 * one line; each failed invitation or acceptance has its own.
 */
export function notThereReason(
  progress: TargetsProgress, current: ReadonlyMap<string, AccountLink>, missing: readonly string[], required: string | undefined,
  waited: { readonly ms: number; readonly reads: number },
): string {
  const groups = new Map<string, { why: string; targets: string[] }>();
  for (const target of missing) {
    const failure = progress.failures[target];
    const link = current.get(target);
    const pending = link?.AccountLinkStatus === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT;
    const why = failure ?? `${link?.AccountLinkStatus}${pending ? ` after ${Math.round(waited.ms / 1000)} s (${waited.reads} reads)` : ''}: `
      + remedy(link ?? {}, required ?? '');
    const key = failure !== undefined ? `${target} ${why}` : why;
    groups.set(key, { why, targets: [...(groups.get(key)?.targets ?? []), target] });
  }
  const lines = [...groups.values()].map(({ why, targets }) => `account${targets.length > 1 ? 's' : ''} ${targets.join(', ')}: ${why}`);
  return `${missing.length} of ${progress.targets.length} targets are ${required ? `not ${required}` : 'not linked as asked'}: ${lines.join('; ')}`;
}

/**
 * The attributes of the answer: the counts, and the two lists (aligned, in the targets'
 * order) when the whole answer with them stays within CloudFormation's limit; else the
 * counts alone (`fits` false, `size` what the lists would have made). Never a list cut short.
 */
export function targetsData(
  event: CloudFormationCustomResourceEvent, physicalResourceId: string, targets: readonly string[],
  links: Readonly<Record<string, string>>, linked: number,
): { readonly data: Record<string, string>; readonly fits: boolean; readonly size: number } {
  const counts = { [TargetsAttribute.TARGET_COUNT]: String(targets.length), [TargetsAttribute.LINKED_COUNT]: String(linked) };
  const lists = {
    ...counts,
    [TargetsAttribute.TARGET_ACCOUNT_IDS]: targets.join(LIST_SEPARATOR),
    [TargetsAttribute.ACCOUNT_LINK_IDS]: targets.map((t) => links[t] ?? '').join(LIST_SEPARATOR),
  };
  const response: CloudFormationCustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: lists,
  };
  const size = byteLength(response);
  return size <= MAX_RESPONSE_BYTES ? { data: lists, fits: true, size } : { data: counts, fits: false, size };
}

/** Why a template that references the lists cannot have them. */
export function listsTooLargeReason(targets: number, size: number): string {
  return `the lists of ${targets} targets make a ${size}-byte answer, over CloudFormation's ${MAX_RESPONSE_BYTES}-byte limit for custom `
    + `resources, and the template references them: reference ${TargetsAttribute.TARGET_COUNT} and ${TargetsAttribute.LINKED_COUNT} instead, `
    + 'and read the links with AccountLinks (statusFilter) or AccountLink per target';
}
