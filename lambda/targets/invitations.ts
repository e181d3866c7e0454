import type { AccountLink } from '@aws-sdk/client-workspaces';
import { Books, SupersededError } from './books';
import type { InvitationRecord } from './ledger';
import { apiCall, ApiContext, apiErrorName, checkedLink, fenced, getAccountLink, listAccountLinks } from '../../core/account-link-api';
import { describeError } from '../../core/describe-error';
import { isRetryable } from '../../core/workspaces-client';
import { AccountLinkStatus } from '../../src/account-link-status';
import { clientToken } from '../client-token';

/**
 * The most ListAccountLinks pages a read of the source's links follows: 250,000 links, far
 * more than one account has; the links stay in the handler (no answer carries them).
 */
export const MAX_SOURCE_LIST_PAGES = 10_000;

/** Where a resource's invitations come from. */
export interface Place {
  readonly source: string;
  readonly region: string;
}

/**
 * How AccountLinkTargets knows its own invitations: the ledger. Each invitation is recorded
 * (`intended`) before the CreateAccountLinkInvitation call, which carries the request's
 * ClientToken for that target, so that every copy and every successor of the request makes
 * at most one invitation (a token needs to last only the request); the answer is recorded
 * after. Every call that cannot be taken back comes after a check that the request still
 * holds the resource, so a request a newer one superseded, or a copy another chain carries,
 * acts on nothing. Releasing deletes what the records name, whatever the service remembers
 * of tokens: ownership is never probed with a write.
 */

/** The ClientToken of this request's invitation to `target`. */
function tokenFor(books: Books, target: string): string {
  return clientToken(books.event, 'targets', books.event.RequestId, target);
}

/**
 * Invites `target` (which has no open link from the source: the caller looked). Answers
 * the invitation, or undefined on a ConflictException (the target was invited or linked
 * by another since the caller looked; nothing was created).
 */
export async function invite(books: Books, place: Place, target: string, api: ApiContext): Promise<AccountLink | undefined> {
  const token = tokenFor(books, target);
  const known = books.own(target, token)?.value;
  let record = known
    ?? await books.write({ target, source: place.source, region: place.region, token, request: books.event.RequestId, state: 'intended' });
  // Abandoned by an invocation of this request that had lost the resource, the call never made: this one, which holds it, goes on.
  if (record.state === 'abandoned') record = await books.write({ ...record, state: 'intended' });
  if (record.state === 'refused') return undefined;
  if (record.state !== 'intended' && record.linkId) return getAccountLink({ linkId: record.linkId }, api);
  // Only a record this invocation wrote can it tell was never sent: an earlier one of the request may have sent the call.
  return (await create(books, record, api, { fresh: known === undefined || known.state === 'abandoned' })).link;
}

/**
 * CreateAccountLinkInvitation for `record` (its token), once the request still holds the
 * resource, and its answer recorded: `open` with the link, or `refused` when the API said
 * no for good (nothing was created). With no answer (timeouts, the service failing) the
 * record stays `intended` and the error is thrown: the request, or the resource's next,
 * resolves it with the same token.
 */
async function create(
  books: Books, record: InvitationRecord, api: ApiContext, more: { readonly fresh?: boolean } = {},
): Promise<{ readonly record: InvitationRecord; readonly link?: AccountLink }> {
  // Checked as each attempt leaves (after the pacer's turn, a retry's backoff): no call once another holds the resource.
  let sent = false;
  let fenceFailed = false;
  const fence = async () => {
    try {
      await books.mustHold();
    } catch (error) {
      fenceFailed = true;
      // Written by this invocation and now never to be made: said so, so that no other request resolves it into an invitation.
      if (!sent && more.fresh && error instanceof SupersededError && record.request === books.event.RequestId) await books.abandon(record);
      throw error;
    }
    sent = true;
  };
  let link: AccountLink;
  try {
    link = await apiCall('CreateAccountLinkInvitation', `account ${record.target}`, api, async () => checkedLink((await api.client.send(
      'CreateAccountLinkInvitation', { TargetAccountId: record.target, ClientToken: record.token }, api.signal, api.retryUntil,
      fenced(fence))).AccountLink));
  } catch (error) {
    // The fence's error (superseded, or the ledger failing) says nothing of the call: the record stays as it is.
    if (fenceFailed) throw error;
    const cause = (error as { cause?: unknown }).cause ?? error;
    const refused = apiErrorName(error) === 'ConflictException' || (!isRetryable(cause) && !api.signal?.aborted);
    if (refused && record.request !== books.event.RequestId) {
      // A later request cannot read a refusal as "nothing was made": the service may have forgotten the token of an
      // invitation the first call did make, and answer ConflictException with the resource's own.
      const own = apiErrorName(error) === 'ConflictException' ? await madeSince(books, record, api) : undefined;
      if (own) return { record: await books.write({ ...record, linkId: own, state: 'open' }) };
      throw new UnresolvedInvitationError(record, describeError(error));
    }
    if (apiErrorName(error) === 'ConflictException') return { record: await books.write({ ...record, state: 'refused' }) };
    // Refused for good, in the request whose token it is: nothing was created.
    if (refused) await books.write({ ...record, state: 'refused' });
    throw error;
  }
  let written = await books.write({ ...record, linkId: link.AccountLinkId, state: 'open' });
  // An invocation of this request that lost the resource marked it abandoned meanwhile: the invitation exists, so it is recorded.
  if (written.state === 'abandoned') written = await books.write({ ...written, linkId: link.AccountLinkId, state: 'open' });
  return { record: written, link };
}

/**
 * The pending invitation to `record`'s target that its call made, told without the token:
 * the request that recorded it invited only because the source had no open link to the
 * target then (link-targets.ts looked), so the one pending invitation to it that no other
 * record of the resource names was made since, by that call. Undefined unless exactly one.
 */
async function madeSince(books: Books, record: InvitationRecord, api: ApiContext): Promise<string | undefined> {
  const named = new Set(books.all().map((r) => r.linkId));
  const pending = (await listAccountLinks([AccountLinkStatus.PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT], api, { maxPages: MAX_SOURCE_LIST_PAGES }))
    .filter((l) => l.SourceAccountId === record.source && l.TargetAccountId === record.target && !named.has(l.AccountLinkId));
  return pending.length === 1 ? pending[0].AccountLinkId : undefined;
}

/**
 * Resolves an invitation made without an answer (`intended`) with its own token: `open`
 * with the link it made, or `refused`. A request does so for every such record before it
 * acts, while its token is fresh, so that what the resource owns is always known.
 */
export async function resolve(books: Books, record: InvitationRecord, api: ApiContext): Promise<InvitationRecord> {
  return record.state === 'intended' ? (await create(books, record, api)).record : record;
}

/**
 * An invitation an earlier request made without an answer that its token no longer tells
 * apart: the service refused the same call now (an open link to the target exists, which
 * may be the resource's own, or the service forgot the token). Its record stays to resolve;
 * the request says so rather than guess whose the open link is.
 */
export class UnresolvedInvitationError extends Error {
  constructor(public readonly record: InvitationRecord, why: string) {
    super(`the invitation to account ${record.target} that request ${record.request} made without an answer cannot be resolved by its `
      + `token any more (${why}): if account ${record.target} has a pending invitation from account ${record.source} that nobody else `
      + 'made, delete it (DeleteAccountLinkInvitation)');
    this.name = 'UnresolvedInvitationError';
  }
}

/** What became of an invitation to release, and its link. */
export interface Release {
  readonly result: 'deleted' | 'gone' | 'linked' | 'none';
  readonly linkId?: string;
}

/**
 * Releases an invitation the resource recorded: deletes it while it is pending; a LINKED
 * one stays (the API cannot unlink) and is reported. With the source's `listing` (by link
 * id), a link it does not hold is gone, and a LINKED one is not asked to be deleted. An invitation made without an answer
 * is first resolved with its own token (the only write besides the deletion, and never for
 * an invitation the resource did not record).
 */
export async function release(books: Books, record: InvitationRecord, api: ApiContext, listing?: ReadonlyMap<string, AccountLink>): Promise<Release> {
  // One made just now is not in a listing made before.
  const listable = record.state === 'open';
  record = await resolve(books, record, api);
  if (record.state !== 'open' || !record.linkId) return { result: 'none' };
  const linkId = record.linkId;
  // A listing the request made already says what no call needs to ask: gone, or LINKED for good.
  const listed = listable ? listing?.get(linkId) : undefined;
  if (listing && listable && !listed) {
    await books.write({ ...record, state: 'released' });
    return { result: 'gone', linkId };
  }
  if (listed?.AccountLinkStatus === AccountLinkStatus.LINKED) {
    await books.write({ ...record, state: 'released' });
    return { result: 'linked', linkId };
  }
  try {
    await apiCall('DeleteAccountLinkInvitation', `link ${linkId}`, api, () => api.client.send(
      'DeleteAccountLinkInvitation', { LinkId: linkId }, api.signal, api.retryUntil, fenced(() => books.mustHold())));
    await books.write({ ...record, state: 'released', deletedBy: books.event.RequestId });
    return { result: 'deleted', linkId };
  } catch (error) {
    if (error instanceof SupersededError) throw error;
    if (apiErrorName(error) === 'ResourceNotFoundException') {
      await books.write({ ...record, state: 'released' });
      return { result: 'gone', linkId };
    }
    // Accepted since it was recorded: it cannot be deleted any more.
    if (apiErrorName(error) === 'ConflictException' && (await getAccountLink({ linkId }, api)).AccountLinkStatus === AccountLinkStatus.LINKED) {
      await books.write({ ...record, state: 'released' });
      return { result: 'linked', linkId };
    }
    throw error;
  }
}
