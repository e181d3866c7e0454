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
import type { HandOver, Outcome } from './resource-response';
import { waitForStatus, WaitState } from './wait-for-status';

/** What handling one event needs besides the event. */
export interface EventContext extends ReadContext {
  /** A gate's wait must be handed over if its next read falls after this time (ms since the epoch). */
  readonly handOverBy: number;
  /** The wait a previous invocation handed over, if any. */
  readonly handedOver?: WaitState;
}
import { LinkAttribute, LinksAttribute, LIST_SEPARATOR, ResourceType } from '../src/contract';

/**
 * Decides the outcome of one event. Never throws: every failure becomes a FAILED outcome
 * whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<Outcome | HandOver> {
  const failedId = failurePhysicalId(event);
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
        return await readResource(event, context, failedId);
      default:
        return { status: 'FAILED', physicalResourceId: failedId, reason: `unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}` };
    }
  } catch (error) {
    return { status: 'FAILED', physicalResourceId: failedId, reason: describeError(error) };
  }
}

/**
 * Physical id of a failure: the resource's own on Update (a failed update must not look
 * like a replacement), the request id on Create (nothing exists yet).
 */
export function failurePhysicalId(event: CloudFormationCustomResourceEvent): string {
  return 'PhysicalResourceId' in event && event.PhysicalResourceId ? event.PhysicalResourceId : event.RequestId;
}

async function readResource(event: CloudFormationCustomResourceEvent, context: EventContext, failedId: string): Promise<Outcome | HandOver> {
  switch (event.ResourceType) {
    case ResourceType.ACCOUNT_LINK: {
      const { lookup, gate } = parseAccountLinkProperties(event.ResourceProperties);
      const physicalResourceId = accountLinkPhysicalId(lookup);
      if (!gate) {
        const link = await getAccountLink(lookup, context);
        return { status: 'SUCCESS', physicalResourceId, data: linkData(link) };
      }
      const now = Date.now();
      const state = context.handedOver ?? { startedAt: now, reads: 0, nextReadAt: now, invocations: 1 };
      const result = await waitForStatus(lookup, gate, state, context.handOverBy, context);
      switch (result.kind) {
        case 'passed':
          return { status: 'SUCCESS', physicalResourceId, data: linkData(result.link), wait: result.state };
        case 'failed':
          return { status: 'FAILED', physicalResourceId: failedId, reason: result.reason, wait: result.state };
        case 'handover':
          return { status: 'HANDED_OVER', wait: result.state };
      }
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
