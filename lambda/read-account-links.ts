import {
  AccountLink,
  GetAccountLinkCommand,
  paginateListAccountLinks,
  WorkSpacesClient,
} from '@aws-sdk/client-workspaces';
import { describeError } from './describe-error';
import type { AccountLinkLookup, AccountLinksQuery } from './resource-properties';

/** ListAccountLinks' largest page (the service model's MaxResults maximum). */
export const LIST_PAGE_SIZE = 25;

/** An API call that failed, with a reason naming the operation and what it was about. */
export class AccountLinkApiError extends Error {
  constructor(message: string, public readonly cause: unknown) {
    super(message);
    this.name = 'AccountLinkApiError';
  }
}

/**
 * Makes one API call, counted; a failure becomes an AccountLinkApiError whose message reads
 * `<operation> for <what> failed: <API error>`.
 */
export async function apiCall<T>(operation: string, what: string, context: ReadContext, call: () => Promise<T>): Promise<T> {
  context.counter.calls++;
  try {
    return await call();
  } catch (error) {
    throw new AccountLinkApiError(`${operation} for ${what} failed: ${describeError(error)}`, error);
  }
}

/** The API error's name behind an AccountLinkApiError (or any error). */
export function apiErrorName(error: unknown): string | undefined {
  const cause = error instanceof AccountLinkApiError ? error.cause : error;
  return (cause as { name?: string } | undefined)?.name;
}

/** What a read needs besides its input: the client, a call counter and a signal to stop. */
export interface ReadContext {
  readonly client: WorkSpacesClient;
  /** Counts the API operations made (SDK retries of one operation count once). */
  readonly counter: { calls: number };
  /** Aborts the call in flight once the handler has given up on it (deadline). */
  readonly signal?: AbortSignal;
}

/** GetAccountLink by link id or by linked account id. */
export async function getAccountLink(lookup: AccountLinkLookup, context: ReadContext): Promise<AccountLink> {
  return apiCall('GetAccountLink', describeLookup(lookup), context, async () => {
    const result = await context.client.send(new GetAccountLinkCommand(
      lookup.linkId !== undefined ? { LinkId: lookup.linkId } : { LinkedAccountId: lookup.linkedAccountId },
    ), { abortSignal: context.signal });
    return withLink(result.AccountLink);
  });
}

/** The AccountLink of an API answer, which every account-link operation returns. */
export function withLink(link: AccountLink | undefined): AccountLink {
  if (!link) {
    throw new Error('the response has no AccountLink');
  }
  return link;
}

/** Every page of ListAccountLinks, in the API's order. */
export async function listAccountLinks(query: AccountLinksQuery, { client, counter, signal }: ReadContext): Promise<AccountLink[]> {
  const links: AccountLink[] = [];
  const input = query.statusFilter.length > 0 ? { LinkStatusFilter: query.statusFilter } : {};
  // stopOnSameToken: a service answering the same NextToken twice must not loop forever.
  const pages = paginateListAccountLinks({ client, pageSize: LIST_PAGE_SIZE, stopOnSameToken: true }, input, { abortSignal: signal });
  try {
    for await (const page of pages) {
      counter.calls++;
      links.push(...(page.AccountLinks ?? []));
    }
  } catch (error) {
    counter.calls++; // the failed page
    const filter = query.statusFilter.length > 0 ? ` with status ${query.statusFilter.join(' or ')}` : '';
    throw new AccountLinkApiError(
      `ListAccountLinks${filter} failed after ${links.length} links: ${describeError(error)}`, error);
  }
  return links;
}

export function describeLookup(lookup: AccountLinkLookup): string {
  return lookup.linkId !== undefined ? `link ${lookup.linkId}` : `linked account ${lookup.linkedAccountId}`;
}
