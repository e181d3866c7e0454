import type { AccountLink } from '@aws-sdk/client-workspaces';
import { LinkAttribute, LinksAttribute, LIST_SEPARATOR } from '../src/contract';

/** The attributes of a resource that answers with one link. */
export function linkData(link: AccountLink): Record<string, string> {
  return {
    [LinkAttribute.ACCOUNT_LINK_ID]: link.AccountLinkId ?? '',
    [LinkAttribute.ACCOUNT_LINK_STATUS]: link.AccountLinkStatus ?? '',
    [LinkAttribute.SOURCE_ACCOUNT_ID]: link.SourceAccountId ?? '',
    [LinkAttribute.TARGET_ACCOUNT_ID]: link.TargetAccountId ?? '',
  };
}

/** The attributes of `Custom::WorkSpacesAccountLinks`: lists aligned by index, and the count. */
export function linksData(links: AccountLink[]): Record<string, string> {
  const join = (field: (link: AccountLink) => string | undefined) => links.map((link) => field(link) ?? '').join(LIST_SEPARATOR);
  return {
    [LinksAttribute.COUNT]: String(links.length),
    [LinksAttribute.ACCOUNT_LINK_IDS]: join((link) => link.AccountLinkId),
    [LinksAttribute.ACCOUNT_LINK_STATUSES]: join((link) => link.AccountLinkStatus),
    [LinksAttribute.SOURCE_ACCOUNT_IDS]: join((link) => link.SourceAccountId),
    [LinksAttribute.TARGET_ACCOUNT_IDS]: join((link) => link.TargetAccountId),
  };
}
