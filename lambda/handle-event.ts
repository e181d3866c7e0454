import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describeError } from './describe-error';
import { getAccountLink, listAccountLinks, ReadContext } from './read-account-links';
import {
  accountLinkPhysicalId,
  accountLinksPhysicalId,
  parseAccountLinkProperties,
  parseAccountLinksProperties,
} from './resource-properties';
import type { Outcome } from './resource-response';
import { LinkAttribute, LinksAttribute, LIST_SEPARATOR, ResourceType } from '../src/contract';

/**
 * Decides the outcome of one event. Never throws: every failure becomes a FAILED outcome
 * whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: ReadContext): Promise<Outcome> {
  // Physical id of a failure: the resource's own on Update (a failed update must not look
  // like a replacement), the request id on Create (nothing exists yet).
  const failedId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : event.RequestId;
  try {
    switch (event.RequestType) {
      case 'Delete':
        // A lookup creates nothing, so Delete removes nothing and calls no API. It must
        // succeed whatever the properties hold, or the rollback of a failed Create would fail too.
        return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
      case 'Create':
      case 'Update':
        // The physical id is derived from the lookup. An Update that looks up another link
        // answers a new id: CloudFormation takes that for a replacement and sends a Delete
        // for the old id, which is harmless (see above).
        return await readResource(event, context);
      default:
        return { status: 'FAILED', physicalResourceId: failedId, reason: `unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}` };
    }
  } catch (error) {
    return { status: 'FAILED', physicalResourceId: failedId, reason: describeError(error) };
  }
}

async function readResource(event: CloudFormationCustomResourceEvent, context: ReadContext): Promise<Outcome> {
  switch (event.ResourceType) {
    case ResourceType.ACCOUNT_LINK: {
      const lookup = parseAccountLinkProperties(event.ResourceProperties);
      const link = await getAccountLink(lookup, context);
      return { status: 'SUCCESS', physicalResourceId: accountLinkPhysicalId(lookup), data: linkData(link) };
    }
    case ResourceType.ACCOUNT_LINKS: {
      const query = parseAccountLinksProperties(event.ResourceProperties);
      const links = await listAccountLinks(query, context);
      return {
        status: 'SUCCESS',
        physicalResourceId: accountLinksPhysicalId(query),
        data: linksData(links),
        dataDescription: `${links.length} account links`,
      };
    }
    default:
      throw new Error(`unsupported resource type ${JSON.stringify(event.ResourceType)}; expected ${Object.values(ResourceType).join(' or ')}`);
  }
}

function linkData(link: AccountLink): Record<string, string> {
  return {
    [LinkAttribute.ACCOUNT_LINK_ID]: link.AccountLinkId ?? '',
    [LinkAttribute.ACCOUNT_LINK_STATUS]: link.AccountLinkStatus ?? '',
    [LinkAttribute.SOURCE_ACCOUNT_ID]: link.SourceAccountId ?? '',
    [LinkAttribute.TARGET_ACCOUNT_ID]: link.TargetAccountId ?? '',
  };
}

function linksData(links: AccountLink[]): Record<string, string> {
  const join = (field: (link: AccountLink) => string | undefined) => links.map((link) => field(link) ?? '').join(LIST_SEPARATOR);
  return {
    [LinksAttribute.COUNT]: String(links.length),
    [LinksAttribute.ACCOUNT_LINK_IDS]: join((link) => link.AccountLinkId),
    [LinksAttribute.ACCOUNT_LINK_STATUSES]: join((link) => link.AccountLinkStatus),
    [LinksAttribute.SOURCE_ACCOUNT_IDS]: join((link) => link.SourceAccountId),
    [LinksAttribute.TARGET_ACCOUNT_IDS]: join((link) => link.TargetAccountId),
  };
}
