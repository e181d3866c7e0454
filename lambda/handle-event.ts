import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describeError } from '../core/describe-error';
import { createFunctionClient } from './function-client';
import type { CreateProgress, LinkChange } from './invitations';
import { getAccountLink, listAccountLinks, ReadContext } from '../core/account-link-api';
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
import { startWait, waitForStatus, WaitState, WaitWindow } from '../core/wait-for-status';
import { LinkAttribute, LinksAttribute, LIST_SEPARATOR, Property, ResourceType } from '../src/contract';

/** What handling one event needs besides the event. */
export interface EventContext extends Omit<ReadContext, 'client'> {
  /** When this invocation may read and when it must hand an undecided wait over. */
  readonly window: WaitWindow;
  /** When CloudFormation sent the request: a new wait starts then (ms since the epoch). */
  readonly requestTime: number;
  /** The wait a previous invocation handed over, if any. */
  readonly handedOver?: WaitState;
  /** Set by a Create that may have created something: the physical id its failure must answer. */
  readonly progress: CreateProgress;
}

/**
 * Decides the outcome of one event. Never throws: every failure becomes a FAILED outcome
 * whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<Outcome | HandOver> {
  try {
    switch (event.RequestType) {
      case 'Delete':
        // Only an invitation that this resource created (or may have created) has something
        // to remove. A lookup creates nothing, an answer to an invitation cannot be taken
        // back, an adopted link is another's, and a failed Create left nothing: Delete
        // removes nothing and calls no API, whatever the properties hold, or the rollback of
        // a failed Create would fail too.
        if (event.ResourceType === ResourceType.INVITATION) {
          const { deleteInvitation, invitationOwnership } = await invitations();
          if (invitationOwnership(event.PhysicalResourceId).kind !== 'none') {
            const props = parseInvitationProperties(event.ResourceProperties);
            const note = await deleteInvitation(event, props, readContext(props.access, context));
            return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId, note };
          }
        }
        return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
      case 'Create':
      case 'Update':
        // The physical id is derived from the lookup. An Update that looks up another link
        // answers a new id: CloudFormation takes that for a replacement and sends a Delete
        // for the old id, which is harmless (see above).
        return await createOrUpdate(event, context);
      default:
        return failed(event, context, `unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
    }
  } catch (error) {
    return failed(event, context, describeError(error));
  }
}

/**
 * Physical id of a failure: the resource's own on Update and Delete (a failed update must
 * not look like a replacement); on Create, the id that lets the rollback's Delete remove
 * what the Create may have made, else the request id (nothing exists).
 */
export function failurePhysicalId(event: CloudFormationCustomResourceEvent, progress: CreateProgress): string {
  if ('PhysicalResourceId' in event && event.PhysicalResourceId) return event.PhysicalResourceId;
  return progress.physicalIdOnFailure ?? event.RequestId;
}

function failed(event: CloudFormationCustomResourceEvent, context: EventContext, reason: string, wait?: WaitState): Outcome {
  return { status: 'FAILED', physicalResourceId: failurePhysicalId(event, context.progress), reason, wait };
}

async function createOrUpdate(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<Outcome | HandOver> {
  switch (event.ResourceType) {
    case ResourceType.ACCOUNT_LINK: {
      const { lookup, gate, access } = parseAccountLinkProperties(event.ResourceProperties);
      const read = readContext(access, context);
      const physicalResourceId = accountLinkPhysicalId(lookup);
      if (!gate) {
        const link = await getAccountLink(lookup, read);
        return { status: 'SUCCESS', physicalResourceId, data: linkData(link) };
      }
      const result = await waitForStatus(lookup, gate, context.handedOver ?? startWait(gate, context.requestTime), context.window, read);
      switch (result.kind) {
        case 'passed':
          return { status: 'SUCCESS', physicalResourceId, data: linkData(result.link), wait: result.state };
        case 'failed':
          return failed(event, context, result.reason, result.state);
        case 'handover':
          return { status: 'HANDED_OVER', wait: result.state };
      }
    }
    case ResourceType.ACCOUNT_LINKS: {
      const query = parseAccountLinksProperties(event.ResourceProperties);
      const links = await listAccountLinks(query.statusFilter, readContext(query.access, context));
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
      const { createInvitation, invitationOwnership } = await invitations();
      const owned = event.RequestType === 'Update' ? invitationOwnership(event.PhysicalResourceId) : undefined;
      // On Update, an invitation to the same target from the same place stands: read it
      // again. Another target, role or Region is another invitation: a new physical id, so
      // CloudFormation deletes the old one with the old properties.
      if (event.RequestType === 'Update' && owned && 'linkId' in owned && samePlace(event.OldResourceProperties, event.ResourceProperties)) {
        return changed({ link: await getAccountLink({ linkId: owned.linkId }, read), physicalResourceId: event.PhysicalResourceId });
      }
      return changed(await createInvitation(event, props, read, context.progress, owned?.kind === 'created' ? owned.linkId : undefined));
    }
    case ResourceType.ACCEPTANCE: {
      const props = parseAcceptanceProperties(event.ResourceProperties);
      const { answerInvitation } = await invitations();
      return changed(await answerInvitation(event, props, readContext(props.access, context)));
    }
    default:
      throw new Error(`unsupported resource type ${JSON.stringify(event.ResourceType)}; expected ${Object.values(ResourceType).join(' or ')}`);
  }
}

/** The invitation and acceptance code, loaded only by those resource types: a lookup never needs it. */
const invitations = () => import('./invitations.js');

/** A fresh client for the event's account and Region: nothing is shared between events. */
function readContext(access: Access, context: EventContext): ReadContext {
  return { client: createFunctionClient(access), counter: context.counter, signal: context.signal };
}

/** An invitation or acceptance answers with the link. */
function changed({ link, physicalResourceId, note }: LinkChange): Outcome {
  return { status: 'SUCCESS', physicalResourceId, data: linkData(link), note };
}

/** The properties that say which invitation it is: the target, and the account and Region it is sent from. */
const INVITATION_PLACE = [Property.TARGET_ACCOUNT_ID, Property.ASSUME_ROLE_ARN, Property.REGION];

function samePlace(old: Record<string, unknown> | undefined, current: Record<string, unknown>): boolean {
  return INVITATION_PLACE.every((name) => (old?.[name] || undefined) === (current[name] || undefined));
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
