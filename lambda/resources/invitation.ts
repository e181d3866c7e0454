import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AccountLinkApiError, apiCall, ApiContext, apiErrorName, checkedLink, getAccountLink, listAccountLinks } from '../../core/account-link-api';
import { WorkSpacesApiError } from '../../core/workspaces-client';
import { AccountLinkStatus } from '../../src/account-link-status';
import { LINK_ID_PATTERN, Property } from '../../src/contract';
import { clientToken } from '../client-token';
import { chooseLink, OPEN_STATUSES } from '../link-choice';
import { apiContext, changed, CreateProgress, LinkChange, ResourceHandler } from '../resource-handler';
import { InvitationProperties, parseInvitationProperties } from '../resource-properties';

/**
 * `Custom::WorkSpacesAccountLinkInvitation`, in the source account: CreateAccountLinkInvitation
 * on Create (and on an Update to another target, role or Region), DeleteAccountLinkInvitation
 * on Delete of what it created.
 */
export const invitationHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const props = parseInvitationProperties(event.ResourceProperties);
    const api = apiContext(props.access, context);
    const owned = event.RequestType === 'Update' ? invitationOwnership(event.PhysicalResourceId) : undefined;
    // On Update, an invitation to the same target from the same place stands: read it
    // again. Another target, role or Region is another invitation: a new physical id, so
    // CloudFormation deletes the old one with the old properties.
    if (event.RequestType === 'Update' && owned && 'linkId' in owned && samePlace(event.OldResourceProperties, event.ResourceProperties)) {
      return changed({ link: await getAccountLink({ linkId: owned.linkId }, api), physicalResourceId: event.PhysicalResourceId });
    }
    return changed(await createInvitation(event, props, api, context.progress, owned?.kind === 'created' ? owned.linkId : undefined));
  },
  async delete(event, context) {
    // Only an invitation that this resource created (or may have created) has something to
    // remove: an adopted link is another's, and a failed Create left nothing.
    if (invitationOwnership(event.PhysicalResourceId).kind === 'none') {
      return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
    }
    const props = parseInvitationProperties(event.ResourceProperties);
    const note = await deleteInvitation(event, props, apiContext(props.access, context));
    return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId, note };
  },
};

/** The properties that say which invitation it is: the target, and the account and Region it is sent from. */
const INVITATION_PLACE = [Property.TARGET_ACCOUNT_ID, Property.ASSUME_ROLE_ARN, Property.REGION];

function samePlace(old: Record<string, unknown> | undefined, current: Record<string, unknown>): boolean {
  return INVITATION_PLACE.every((name) => (old?.[name] || undefined) === (current[name] || undefined));
}


/**
 * What an invitation resource's physical id says it owns:
 * - `link-…`: an invitation this resource created; its Delete removes it.
 * - `adopted:link-…`: a link that existed already (the target was invited or linked
 *   before); another resource or person owns it, so Delete leaves it alone.
 * - `unconfirmed:<RequestId>`: a Create whose CreateAccountLinkInvitation may have been
 *   carried out although no answer came back; Delete finds it by that request's ClientToken.
 * - anything else (a failed Create's request id): nothing was created.
 */
export type InvitationOwnership =
  | { readonly kind: 'created' | 'adopted'; readonly linkId: string }
  | { readonly kind: 'unconfirmed'; readonly requestId: string }
  | { readonly kind: 'none' };

const ADOPTED = 'adopted:';
const UNCONFIRMED = 'unconfirmed:';

export function invitationOwnership(physicalResourceId: string): InvitationOwnership {
  if (LINK_ID_PATTERN.test(physicalResourceId)) return { kind: 'created', linkId: physicalResourceId };
  const adopted = physicalResourceId.startsWith(ADOPTED) ? physicalResourceId.slice(ADOPTED.length) : undefined;
  if (adopted !== undefined && LINK_ID_PATTERN.test(adopted)) return { kind: 'adopted', linkId: adopted };
  if (physicalResourceId.startsWith(UNCONFIRMED)) return { kind: 'unconfirmed', requestId: physicalResourceId.slice(UNCONFIRMED.length) };
  return { kind: 'none' };
}

/**
 * CreateAccountLinkInvitation from this (source) account. A ConflictException ("already
 * linked or invited") adopts the existing invitation from this account to the target
 * (see chooseLink); a link in the other direction cannot be adopted.
 *
 * `ownLinkId` is the link the resource already owns (on Update): finding it again is not
 * an adoption.
 */
export async function createInvitation(
  event: CloudFormationCustomResourceEvent, props: InvitationProperties, context: ApiContext, progress: CreateProgress, ownLinkId?: string,
): Promise<LinkChange> {
  const target = props.targetAccountId;
  const what = `account ${target}`;
  // Until the service answers, an invitation may exist that only this token can find.
  progress.physicalIdOnFailure = `${UNCONFIRMED}${event.RequestId}`;
  try {
    const link = await sendCreate(event, event.RequestId, target, context);
    progress.physicalIdOnFailure = link.AccountLinkId;
    return { link, physicalResourceId: link.AccountLinkId! };
  } catch (error) {
    if (isDefiniteRefusal(error)) progress.physicalIdOnFailure = undefined;
    if (apiErrorName(error) !== 'ConflictException') throw error;
  }
  const links = await listAccountLinks(OPEN_STATUSES, context);
  const link = chooseLink(links.filter((l) => l.TargetAccountId === target));
  if (!link) {
    const reverse = chooseLink(links.filter((l) => l.SourceAccountId === target));
    throw new Error(reverse
      ? `CreateAccountLinkInvitation for ${what} failed: ConflictException: account ${target} already invited this account `
        + `(link ${reverse.AccountLinkId}, ${reverse.AccountLinkStatus}); a link in that direction cannot be adopted: `
        + 'accept it with an AccountLinkAcceptance in this account, or delete it in account ' + target
      : `CreateAccountLinkInvitation for ${what} failed: ConflictException, and no pending or linked invitation to ${what} was found`);
  }
  if (link.AccountLinkId === ownLinkId) {
    return { link, physicalResourceId: link.AccountLinkId! };
  }
  return {
    link,
    physicalResourceId: `${ADOPTED}${link.AccountLinkId}`,
    note: `adopted existing link ${link.AccountLinkId} (${link.AccountLinkStatus}): ${what} was already linked or invited; Delete leaves it in place`,
  };
}

function sendCreate(event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>, requestId: string, target: string, context: ApiContext) {
  return apiCall('CreateAccountLinkInvitation', `account ${target}`, context, async () => checkedLink((await context.client.send(
    'CreateAccountLinkInvitation', { TargetAccountId: target, ClientToken: clientToken(event, requestId, target) }, context.signal)).AccountLink));
}

/**
 * True when the service answered that it did not carry the request out: a modeled 4xx
 * error. Timeouts, resets, 5xx and InternalServerException (documented as HTTP 400) leave
 * the outcome unknown.
 */
function isDefiniteRefusal(error: unknown): boolean {
  const cause = error instanceof AccountLinkApiError ? error.cause : error;
  return cause instanceof WorkSpacesApiError && cause.statusCode >= 400 && cause.statusCode < 500
    && cause.name !== 'InternalServerException';
}

/**
 * On Delete: removes the invitation this resource created, unless it is LINKED (the API
 * cannot unlink; the log says so). An adopted link is left alone; a link that is already
 * gone is a success, whenever it went.
 */
export async function deleteInvitation(
  event: CloudFormationCustomResourceEvent, props: InvitationProperties | undefined, context: ApiContext,
): Promise<string | undefined> {
  const owned = invitationOwnership('PhysicalResourceId' in event ? event.PhysicalResourceId : '');
  switch (owned.kind) {
    case 'none':
      return undefined;
    case 'adopted':
      return `left the adopted link ${owned.linkId} in place: this resource did not create it`;
    case 'created':
      return removeLink(owned.linkId, context);
    case 'unconfirmed': {
      if (!props) return undefined;
      // The same request's token: the service answers with the invitation it created then,
      // or creates it now; either way it is removed at once.
      let link: AccountLink;
      try {
        link = await sendCreate(event, owned.requestId, props.targetAccountId, context);
      } catch (error) {
        if (apiErrorName(error) === 'ConflictException') {
          return `no invitation of request ${owned.requestId} exists: account ${props.targetAccountId} is invited or linked by another`;
        }
        throw error;
      }
      return removeLink(link.AccountLinkId!, context);
    }
  }
}

async function removeLink(linkId: string, context: ApiContext): Promise<string> {
  const gone = `link ${linkId} no longer exists`;
  const linked = `link ${linkId} is LINKED and was left in place: the API cannot unlink it`;
  let link: AccountLink;
  try {
    link = await getAccountLink({ linkId }, context);
  } catch (error) {
    if (apiErrorName(error) === 'ResourceNotFoundException') return gone;
    throw error;
  }
  if (link.AccountLinkStatus === AccountLinkStatus.LINKED) return linked;
  if (link.AccountLinkStatus === AccountLinkStatus.LINK_NOT_FOUND) return gone;
  try {
    await apiCall('DeleteAccountLinkInvitation', `link ${linkId}`, context, () => context.client.send(
      'DeleteAccountLinkInvitation', { LinkId: linkId }, context.signal));
  } catch (error) {
    // Gone since the read (another delivery of this Delete, or a person): already done.
    if (apiErrorName(error) === 'ResourceNotFoundException') return gone;
    // Accepted since the read: it cannot be deleted any more.
    if (apiErrorName(error) === 'ConflictException'
      && (await getAccountLink({ linkId }, context)).AccountLinkStatus === AccountLinkStatus.LINKED) return linked;
    throw error;
  }
  return `deleted the ${link.AccountLinkStatus} invitation ${linkId}`;
}

