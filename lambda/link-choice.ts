import type { AccountLink } from '@aws-sdk/client-workspaces';
import { AccountLinkStatus } from '../src/account-link-status';

/** The statuses of a link that stands: an invitation to answer, or an active link. */
export const OPEN_STATUSES = [AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, AccountLinkStatus.LINKED];

/**
 * The one link to act on among several between the same accounts (a rejected invitation
 * and a new one are normal): a pending invitation first, then a LINKED link, the lowest
 * link id among equals; never a REJECTED or LINKING_FAILED one.
 */
export function chooseLink(links: readonly AccountLink[]): AccountLink | undefined {
  const rank = (link: AccountLink) => OPEN_STATUSES.indexOf(link.AccountLinkStatus as AccountLinkStatus);
  return links
    .filter((link) => rank(link) >= 0)
    .sort((a, b) => rank(a) - rank(b) || a.AccountLinkId!.localeCompare(b.AccountLinkId!))[0];
}
