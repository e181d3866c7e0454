import { createHash } from 'node:crypto';
import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { apiCall, apiErrorName, AccountLinkApiError, checkedLink, getAccountLink, listAccountLinks, ReadContext } from '../core/account-link-api';
import type { AcceptanceProperties, InvitationProperties } from './resource-properties';
import { WorkSpacesApiError } from '../core/workspaces-client';
import { AccountLinkStatus } from '../src/account-link-status';
import { LINK_ID_PATTERN } from '../src/contract';

/** The longest ClientToken the API takes. */
const MAX_CLIENT_TOKEN_LENGTH = 64;

/**
 * An idempotency token for one request: every delivery of the same CloudFormation request
 * (Lambda may deliver it twice) sends the same token, so the service creates at most one
 * invitation for it; another request (an Update, a new stack) gets another token.
 */
export function clientToken(event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>, ...input: string[]): string {
  return createHash('sha256').update([event.StackId, event.LogicalResourceId, ...input].join('\n')).digest('hex')
    .slice(0, MAX_CLIENT_TOKEN_LENGTH);
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

/** What an invitation or acceptance came to. */
export interface LinkChange {
  readonly link: AccountLink;
  readonly physicalResourceId: string;
  /** Said in the log line, e.g. that an existing invitation was adopted. */
  readonly note?: string;
}

/** Where a Create stands for the response if it fails: the physical id that lets the rollback's Delete clean up. */
export interface CreateProgress {
  physicalIdOnFailure?: string;
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
  event: CloudFormationCustomResourceEvent, props: InvitationProperties, context: ReadContext, progress: CreateProgress, ownLinkId?: string,
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

function sendCreate(event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>, requestId: string, target: string, context: ReadContext) {
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
  event: CloudFormationCustomResourceEvent, props: InvitationProperties | undefined, context: ReadContext,
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

async function removeLink(linkId: string, context: ReadContext): Promise<string> {
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

/**
 * AcceptAccountLinkInvitation (or RejectAccountLinkInvitation) in this (target) account,
 * for an invitation given by its link id or by the account that sent it. Answering again
 * as before (accepting a link that is already LINKED) is a success.
 */
export async function answerInvitation(
  event: CloudFormationCustomResourceEvent, props: AcceptanceProperties, context: ReadContext,
): Promise<LinkChange> {
  const [operation, wanted] = props.reject
    ? ['RejectAccountLinkInvitation' as const, AccountLinkStatus.REJECTED]
    : ['AcceptAccountLinkInvitation' as const, AccountLinkStatus.LINKED];
  const linkId = 'linkId' in props.invitation ? props.invitation.linkId : await invitationFrom(props.invitation.sourceAccountId, context);
  const input = { LinkId: linkId, ClientToken: clientToken(event, linkId, operation) };
  try {
    const link = await apiCall(operation, `link ${linkId}`, context, async () => checkedLink((await context.client.send(
      operation, input, context.signal)).AccountLink));
    return { link, physicalResourceId: linkId };
  } catch (error) {
    if (apiErrorName(error) !== 'ConflictException') throw error;
    const link = await getAccountLink({ linkId }, context);
    if (link.AccountLinkStatus !== wanted) throw error;
    return { link, physicalResourceId: linkId, note: `link ${linkId} was already ${wanted}` };
  }
}

/** The statuses of a link that stands: an invitation to answer, or an active link. */
const OPEN_STATUSES = [AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT, AccountLinkStatus.LINKED];

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

/** The link id of the invitation `sourceAccountId` sent to this account (see chooseLink). */
async function invitationFrom(sourceAccountId: string, context: ReadContext): Promise<string> {
  const link = chooseLink((await listAccountLinks(OPEN_STATUSES, context)).filter((l) => l.SourceAccountId === sourceAccountId));
  if (!link) {
    throw new Error(`account ${sourceAccountId} has no pending invitation to this account (ListAccountLinks found none that is `
      + `${OPEN_STATUSES.join(' or ')})`);
  }
  return link.AccountLinkId!;
}
