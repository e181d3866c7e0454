import { createHash } from 'node:crypto';
import {
  AcceptAccountLinkInvitationCommand,
  AccountLink,
  CreateAccountLinkInvitationCommand,
  DeleteAccountLinkInvitationCommand,
  RejectAccountLinkInvitationCommand,
} from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { apiCall, apiErrorName, getAccountLink, ReadContext, withLink } from './read-account-links';
import type { AcceptanceProperties, InvitationProperties } from './resource-properties';
import { AccountLinkStatus } from '../src/account-link-status';

/** The longest ClientToken the API takes. */
const MAX_CLIENT_TOKEN_LENGTH = 64;

/**
 * An idempotency token made from the stack, the resource and its input: CloudFormation's
 * retries of one request (and re-sent events) carry the same token, so the service never
 * creates two invitations for one resource. A new stack (new StackId) gets new tokens.
 */
export function clientToken(event: CloudFormationCustomResourceEvent, ...input: string[]): string {
  return createHash('sha256').update([event.StackId, event.LogicalResourceId, ...input].join('\n')).digest('hex')
    .slice(0, MAX_CLIENT_TOKEN_LENGTH);
}

/** What an invitation or acceptance came to. */
export interface LinkChange {
  readonly link: AccountLink;
  /** Said in the log line, e.g. that an existing invitation was adopted. */
  readonly note?: string;
}

/**
 * CreateAccountLinkInvitation from this (source) account. A ConflictException ("already
 * linked or invited") adopts the existing link instead of failing.
 */
export async function createInvitation(
  event: CloudFormationCustomResourceEvent, props: InvitationProperties, context: ReadContext,
): Promise<LinkChange> {
  const what = `account ${props.targetAccountId}`;
  try {
    const result = await apiCall('CreateAccountLinkInvitation', what, context, () => context.client.send(
      new CreateAccountLinkInvitationCommand({ TargetAccountId: props.targetAccountId, ClientToken: clientToken(event, props.targetAccountId) }),
      { abortSignal: context.signal }));
    return { link: withLink(result.AccountLink) };
  } catch (error) {
    if (apiErrorName(error) !== 'ConflictException') throw error;
    const link = await getAccountLink({ linkedAccountId: props.targetAccountId }, context);
    return { link, note: `adopted existing link ${link.AccountLinkId} (${link.AccountLinkStatus}): ${what} was already linked or invited` };
  }
}

/**
 * On Delete of a created invitation (its physical id is its link id): removes it unless it
 * is LINKED. A LINKED link cannot be unlinked by the API, so it is left, and the log says
 * so. A link that is gone is deleted without more ado.
 */
export async function deleteInvitation(physicalResourceId: string, context: ReadContext): Promise<string> {
  let link: AccountLink;
  try {
    link = await getAccountLink({ linkId: physicalResourceId }, context);
  } catch (error) {
    if (apiErrorName(error) === 'ResourceNotFoundException') return `link ${physicalResourceId} no longer exists`;
    throw error;
  }
  switch (link.AccountLinkStatus) {
    case AccountLinkStatus.LINKED:
      return `link ${physicalResourceId} is LINKED and was left in place: the API cannot unlink it`;
    case AccountLinkStatus.LINK_NOT_FOUND:
      return `link ${physicalResourceId} no longer exists`;
    default:
      await apiCall('DeleteAccountLinkInvitation', `link ${physicalResourceId}`, context, () => context.client.send(
        new DeleteAccountLinkInvitationCommand({ LinkId: physicalResourceId }), { abortSignal: context.signal }));
      return `deleted the ${link.AccountLinkStatus} invitation ${physicalResourceId}`;
  }
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
    ? ['RejectAccountLinkInvitation', AccountLinkStatus.REJECTED]
    : ['AcceptAccountLinkInvitation', AccountLinkStatus.LINKED];
  const linkId = 'linkId' in props.invitation ? props.invitation.linkId : await invitationFrom(props.invitation.sourceAccountId, context);
  const input = { LinkId: linkId, ClientToken: clientToken(event, linkId, operation) };
  try {
    const result = await apiCall(operation, `link ${linkId}`, context, () => context.client.send(
      props.reject ? new RejectAccountLinkInvitationCommand(input) : new AcceptAccountLinkInvitationCommand(input),
      { abortSignal: context.signal }));
    return { link: withLink(result.AccountLink) };
  } catch (error) {
    if (apiErrorName(error) !== 'ConflictException') throw error;
    const link = await getAccountLink({ linkId }, context);
    if (link.AccountLinkStatus !== wanted) throw error;
    return { link, note: `link ${linkId} was already ${wanted}` };
  }
}

/** The link id of the invitation `sourceAccountId` sent to this account. */
async function invitationFrom(sourceAccountId: string, context: ReadContext): Promise<string> {
  const link = await getAccountLink({ linkedAccountId: sourceAccountId }, context);
  if (link.SourceAccountId !== sourceAccountId) {
    throw new Error(`account ${sourceAccountId} has not invited this account: link ${link.AccountLinkId} goes from ${link.SourceAccountId} to ${link.TargetAccountId}`);
  }
  return link.AccountLinkId!;
}
