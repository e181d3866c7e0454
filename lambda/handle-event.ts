import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describeError } from './describe-error';
import { answerInvitation, createInvitation, deleteInvitation, LinkChange } from './invitations';
import { getAccountLink, listAccountLinks, ReadContext } from './read-account-links';
import {
  Access,
  accountLinkPhysicalId,
  accountLinksPhysicalId,
  parseAcceptanceProperties,
  parseAccountLinkProperties,
  parseAccountLinksProperties,
  parseInvitationProperties,
} from './resource-properties';
import type { HandOver, Outcome } from './resource-response';
import { startWait, waitForStatus, WaitState } from './wait-for-status';
import { createWorkSpacesClient } from './workspaces-client';
import { LINK_ID_PATTERN, LinkAttribute, LinksAttribute, LIST_SEPARATOR, ResourceType } from '../src/contract';

/** What handling one event needs besides the event. */
export interface EventContext extends Omit<ReadContext, 'client'> {
  /** A gate's wait must be handed over if its next read falls after this time (ms since the epoch). */
  readonly handOverBy: number;
  /** The wait a previous invocation handed over, if any. */
  readonly handedOver?: WaitState;
}

/**
 * Decides the outcome of one event. Never throws: every failure becomes a FAILED outcome
 * whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<Outcome | HandOver> {
  const failedId = failurePhysicalId(event);
  try {
    switch (event.RequestType) {
      case 'Delete':
        // Only an invitation that was created (its physical id is its link id) has something
        // to remove. A lookup creates nothing, an answer to an invitation cannot be taken
        // back, and a failed Create left nothing: Delete removes nothing and calls no API,
        // whatever the properties hold, or the rollback of a failed Create would fail too.
        if (event.ResourceType === ResourceType.INVITATION && LINK_ID_PATTERN.test(event.PhysicalResourceId)) {
          const { access } = parseInvitationProperties(event.ResourceProperties);
          const note = await deleteInvitation(event.PhysicalResourceId, readContext(access, context));
          return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId, note };
        }
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
      const { lookup, gate, access } = parseAccountLinkProperties(event.ResourceProperties);
      const read = readContext(access, context);
      const physicalResourceId = accountLinkPhysicalId(lookup);
      if (!gate) {
        const link = await getAccountLink(lookup, read);
        return { status: 'SUCCESS', physicalResourceId, data: linkData(link) };
      }
      const result = await waitForStatus(lookup, gate, context.handedOver ?? startWait(), context.handOverBy, read);
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
      const links = await listAccountLinks(query, readContext(query.access, context));
      return {
        status: 'SUCCESS',
        physicalResourceId: accountLinksPhysicalId(query),
        data: linksData(links),
        dataDescription: `${links.length} account links`,
      };
    }
    case ResourceType.INVITATION: {
      const props = parseInvitationProperties(event.ResourceProperties);
      const read = readContext(props.access, context);
      const old = event.RequestType === 'Update' ? event.OldResourceProperties?.TargetAccountId : undefined;
      // Same target on Update: the invitation stands; read it again. A new target is a new
      // invitation (a new physical id, so CloudFormation deletes the old one).
      const change: LinkChange = old === props.targetAccountId && 'PhysicalResourceId' in event
        ? { link: await getAccountLink({ linkId: event.PhysicalResourceId }, read) }
        : await createInvitation(event, props, read);
      return changed(change);
    }
    case ResourceType.ACCEPTANCE: {
      const props = parseAcceptanceProperties(event.ResourceProperties);
      return changed(await answerInvitation(event, props, readContext(props.access, context)));
    }
    default:
      throw new Error(`unsupported resource type ${JSON.stringify(event.ResourceType)}; expected ${Object.values(ResourceType).join(' or ')}`);
  }
}

/** A fresh client for the event's account and Region: nothing is shared between events. */
function readContext(access: Access, context: EventContext): ReadContext {
  return { client: createWorkSpacesClient(access), counter: context.counter, signal: context.signal };
}

/** An invitation or acceptance answers with the link: its id is the physical id. */
function changed({ link, note }: LinkChange): Outcome {
  return { status: 'SUCCESS', physicalResourceId: link.AccountLinkId!, data: linkData(link), note };
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
