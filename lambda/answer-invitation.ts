import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { clientToken } from './client-token';
import { chooseLink, OPEN_STATUSES } from './link-choice';
import type { LinkChange } from './resource-handler';
import type { AcceptanceProperties } from './resource-properties';
import { apiCall, ApiContext, apiErrorName, checkedLink, fenced, getAccountLink, listAccountLinks } from '../core/account-link-api';
import { AccountLinkStatus } from '../src/account-link-status';

/**
 * AcceptAccountLinkInvitation (or RejectAccountLinkInvitation) in this (target) account,
 * for an invitation given by its link id or by the account that sent it. Answering again
 * as before (accepting a link that is already LINKED) is a success.
 */
export async function answerInvitation(
  event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>, props: AcceptanceProperties, context: ApiContext,
): Promise<LinkChange> {
  const [operation, wanted] = props.reject
    ? ['RejectAccountLinkInvitation' as const, AccountLinkStatus.REJECTED]
    : ['AcceptAccountLinkInvitation' as const, AccountLinkStatus.LINKED];
  const linkId = 'linkId' in props.invitation ? props.invitation.linkId : await invitationFrom(props.invitation.sourceAccountId, context);
  const input = { LinkId: linkId, ClientToken: clientToken(event, linkId, operation) };
  try {
    const link = await apiCall(operation, `link ${linkId}`, context, async () => checkedLink((await context.client.send(
      operation, input, context.signal, undefined, fenced(context.fence))).AccountLink));
    return { link, physicalResourceId: linkId };
  } catch (error) {
    if (apiErrorName(error) !== 'ConflictException') throw error;
    const link = await getAccountLink({ linkId }, context);
    if (link.AccountLinkStatus !== wanted) throw error;
    return { link, physicalResourceId: linkId, note: `link ${linkId} was already ${wanted}` };
  }
}

/** The link id of the invitation `sourceAccountId` sent to this account (see chooseLink). */
async function invitationFrom(sourceAccountId: string, context: ApiContext): Promise<string> {
  const link = chooseLink((await listAccountLinks(OPEN_STATUSES, context)).filter((l) => l.SourceAccountId === sourceAccountId));
  if (!link) {
    throw new Error(`account ${sourceAccountId} has no pending invitation to this account (ListAccountLinks found none that is `
      + `${OPEN_STATUSES.join(' or ')})`);
  }
  return link.AccountLinkId!;
}
