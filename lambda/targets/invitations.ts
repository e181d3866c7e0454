import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { apiCall, ApiContext, apiErrorName, checkedLink, getAccountLink } from '../../core/account-link-api';
import { AccountLinkStatus } from '../../src/account-link-status';
import { clientToken } from '../client-token';
import { OPEN_STATUSES } from '../link-choice';

/**
 * How an AccountLinkTargets resource knows its own invitations with no state of its own:
 * the invitation to a target is created with the ClientToken of (stack, resource, target,
 * generation), and the service answers a token with the invitation it created for it, for
 * as long as it remembers the token. Generation 0 is the first invitation; a target removed
 * and added again gets the next generation once the earlier one is gone. So:
 * - every delivery of a request sends the same tokens: at most one invitation each;
 * - an invitation is this resource's when one of its tokens answers it (`owns`);
 * - a request that did not add the target never makes a new generation, so a late copy of
 *   a Create cannot invite again after the rollback's Delete removed the invitation.
 */
export const MAX_GENERATIONS = 10;

type Event = Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>;

function tokenFor(event: Event, target: string, generation: number): string {
  return clientToken(event, 'targets', target, String(generation));
}

function isOpen(link: AccountLink): boolean {
  return OPEN_STATUSES.includes(link.AccountLinkStatus as AccountLinkStatus);
}

/** CreateAccountLinkInvitation with the token of `generation`; a ConflictException answers undefined. */
async function sendCreate(event: Event, target: string, generation: number, context: ApiContext): Promise<AccountLink | undefined> {
  try {
    return await apiCall('CreateAccountLinkInvitation', `account ${target}`, context, async () => checkedLink((await context.client.send(
      'CreateAccountLinkInvitation', { TargetAccountId: target, ClientToken: tokenFor(event, target, generation) }, context.signal,
      context.retryUntil)).AccountLink));
  } catch (error) {
    if (apiErrorName(error) === 'ConflictException') return undefined;
    throw error;
  }
}

/**
 * Invites `target` (which has no open link from this account: the caller looked). Answers
 * the invitation, or, when the token's invitation is gone and `mayInviteAgain` is false,
 * that closed link: the caller reports it. Undefined: ConflictException, the target was
 * invited or linked since the caller looked (it reads again).
 */
export async function invite(event: Event, target: string, mayInviteAgain: boolean, context: ApiContext): Promise<AccountLink | undefined> {
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const link = await sendCreate(event, target, generation, context);
    if (!link || isOpen(link) || !mayInviteAgain) return link;
  }
  throw new Error(`account ${target} was invited ${MAX_GENERATIONS} times by this resource already: invite it with a new resource`);
}

/**
 * Whether the pending invitation `linkId` to `target` is this resource's: one of its tokens
 * answers it. A ConflictException means the next generation's token was never used (the
 * open invitation is another's); an invitation a token makes now (none was open after all)
 * is removed at once.
 */
export async function owns(event: Event, target: string, linkId: string, context: ApiContext): Promise<boolean> {
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const link = await sendCreate(event, target, generation, context);
    if (!link) return false;
    if (link.AccountLinkId === linkId) return true;
    if (isOpen(link)) {
      await remove(link.AccountLinkId!, context);
      return false;
    }
  }
  return false;
}

/** What became of an invitation to remove. */
export type Removal = 'deleted' | 'gone' | 'linked';

/** DeleteAccountLinkInvitation, unless the link is LINKED (the API cannot unlink) or gone already. */
export async function remove(linkId: string, context: ApiContext): Promise<Removal> {
  try {
    await apiCall('DeleteAccountLinkInvitation', `link ${linkId}`, context, () => context.client.send(
      'DeleteAccountLinkInvitation', { LinkId: linkId }, context.signal, context.retryUntil));
    return 'deleted';
  } catch (error) {
    if (apiErrorName(error) === 'ResourceNotFoundException') return 'gone';
    // Accepted since it was listed: it cannot be deleted any more.
    if (apiErrorName(error) === 'ConflictException'
      && (await getAccountLink({ linkId }, context)).AccountLinkStatus === AccountLinkStatus.LINKED) return 'linked';
    throw error;
  }
}
