import type { AccountLink } from '@aws-sdk/client-workspaces';
import { AccountLinkStatus } from '../src/account-link-status';

/**
 * What a person should do when a link does not have the required status, by the status
 * it has. One sentence each, naming the account that has to act.
 */
export function remedy(link: AccountLink, required: string): string {
  const source = link.SourceAccountId ?? 'the source account';
  const target = link.TargetAccountId ?? 'the target account';
  switch (link.AccountLinkStatus) {
    case AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT:
      return required === AccountLinkStatus.LINKED
        ? `accept the invitation in account ${target}`
        : `the invitation still waits for account ${target} to answer`;
    case AccountLinkStatus.REJECTED:
      return `account ${target} rejected the invitation: invite it again from account ${source}`;
    case AccountLinkStatus.LINKING_FAILED:
      return `linking failed: delete the invitation and invite account ${target} again from account ${source}`;
    case AccountLinkStatus.LINK_NOT_FOUND:
      return `the link no longer exists: invite account ${target} again from account ${source}`;
    case AccountLinkStatus.LINKED:
      return 'the link is already active';
    default:
      return `status ${link.AccountLinkStatus} is unknown to this handler`;
  }
}

/** `1 read`, `3 reads`. */
export function reads(count: number): string {
  return `${count} read${count === 1 ? '' : 's'}`;
}

/**
 * The setting that turns a wait on, as the user knows it: `waitTimeout` for the
 * constructs, `--wait` for the check command.
 */
export type WaitSettingName = 'waitTimeout' | '--wait';

/** The link does not have the required status, and waiting would not change that. */
export function notRequiredReason(link: AccountLink, required: string, canWait: boolean, waitSetting: WaitSettingName = 'waitTimeout'): string {
  const waitHint = canWait ? '' : ` (or ${waitSetting === '--wait' ? 'pass --wait' : 'set waitTimeout'} to wait for it)`;
  const pendingHint = link.AccountLinkStatus === AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT ? waitHint : '';
  return `link ${link.AccountLinkId} is ${link.AccountLinkStatus}, not ${required}: ${remedy(link, required)}${pendingHint}`;
}

/** The wait ran out while the link was still pending. */
export function timedOutReason(link: AccountLink, required: string, waitedMs: number, readCount: number): string {
  return `link ${link.AccountLinkId} is still ${link.AccountLinkStatus} after waiting ${Math.round(waitedMs / 1000)} s (${reads(readCount)}), `
    + `not ${required}: ${remedy(link, required)}`;
}

/** The wait ran out while the API throttled the reads (the last error says how). */
export function throttledReason(lookup: string, required: string, waitedMs: number, readCount: number, error: string): string {
  return `${lookup}: no answer but throttling after waiting ${Math.round(waitedMs / 1000)} s (${reads(readCount)} answered), `
    + `so its status is not known to be ${required}: ${error}`;
}

/** The wait ran out while its reads could not be made (an assumed role's STS call throttled or silent: the last error says which). */
export function unreadReason(lookup: string, required: string, waitedMs: number, readCount: number, error: string): string {
  return `${lookup}: could not be read when the wait ended, after ${Math.round(waitedMs / 1000)} s (${reads(readCount)} answered), `
    + `so its status is not known to be ${required}: ${error}`;
}
