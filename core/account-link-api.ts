import type { AccountLink } from '@aws-sdk/client-workspaces';
import { describeError } from './describe-error';
import { AccountLinkLookup, describeLookup } from './domain';
import type { WorkSpacesClient } from './workspaces-client';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../src/contract';

/** ListAccountLinks' largest page (the service model's MaxResults maximum). */
export const LIST_PAGE_SIZE = 25;

/**
 * The fewest bytes one link adds to a custom resource response: the shortest link id
 * (13), the shortest status (LINKED, 6), two account ids (24) and four list separators.
 */
const MIN_LINK_BYTES = 13 + 6 + 24 + 4;
/**
 * The most ListAccountLinks pages a read follows. At one link a page, more pages than this
 * hold more links than a 4096-byte response could ever carry: a listing that goes on
 * further (endless or empty pages) cannot lead to an answer, so the read stops and fails.
 */
export const MAX_LIST_PAGES = Math.floor(4096 / MIN_LINK_BYTES) + 1;

/** An API call that failed, with a reason naming the operation and what it was about. */
export class AccountLinkApiError extends Error {
  constructor(message: string, public readonly cause: unknown) {
    super(message);
    this.name = 'AccountLinkApiError';
  }
}

/**
 * Makes one WorkSpaces API call, counted and named as the call in flight while it lasts
 * (`WorkSpaces <operation> for <what>`); a failure becomes an AccountLinkApiError whose
 * message reads `<operation> for <what> failed: <API error>`.
 */
export async function apiCall<T>(operation: string, what: string, context: ApiContext, call: () => Promise<T>): Promise<T> {
  context.counter.calls++;
  context.counter.inFlight = `WorkSpaces ${operation} for ${what}`;
  try {
    return await call();
  } catch (error) {
    if (withheld.has(error as object)) throw error;
    throw new AccountLinkApiError(`${operation} for ${what} failed: ${describeError(error)}`, error);
  } finally {
    context.counter.inFlight = undefined;
  }
}

/** Errors a fence threw (the call never left): apiCall passes them on as they are. */
const withheld = new WeakSet<object>();

/** `fence` as JsonApiClient.send takes it (beforeAttempt): its error passed on by apiCall as it is. */
export function fenced(fence: (() => Promise<void>) | undefined): (() => Promise<void>) | undefined {
  return fence && (async () => {
    try {
      await fence();
    } catch (error) {
      if (typeof error === 'object' && error !== null) withheld.add(error);
      throw error;
    }
  });
}

/** The API error's name behind an AccountLinkApiError (or any error). */
export function apiErrorName(error: unknown): string | undefined {
  const cause = error instanceof AccountLinkApiError ? error.cause : error;
  return (cause as { name?: string } | undefined)?.name;
}

/** What API calls need besides their input: the client, a call counter and a signal to stop. */
export interface ApiContext {
  readonly client: WorkSpacesClient;
  /**
   * Counts the API operations made (retries of one operation count once), and names
   * the one in flight, for a message when a deadline cuts it off.
   */
  readonly counter: { calls: number; inFlight?: string; ledgerCalls?: number };
  /** Aborts the call in flight once the handler has given up on it (deadline). */
  readonly signal?: AbortSignal;
  /** No throttled call is retried after this (ms since the epoch): a wait's read gives way to the next. @default - until the signal */
  readonly retryUntil?: number;
  /**
   * Runs before each attempt of a call that cannot be taken back (an acceptance, a
   * deletion) is sent, after its turn with the pacer: throws to keep it from leaving.
   */
  readonly fence?: () => Promise<void>;
}

/** GetAccountLink by link id or by linked account id. */
export async function getAccountLink(lookup: AccountLinkLookup, context: ApiContext): Promise<AccountLink> {
  return apiCall('GetAccountLink', describeLookup(lookup), context, async () => {
    const result = await context.client.send('GetAccountLink',
      lookup.linkId !== undefined ? { LinkId: lookup.linkId } : { LinkedAccountId: lookup.linkedAccountId }, context.signal, context.retryUntil);
    return checkedLink(result.AccountLink);
  });
}

/**
 * The AccountLink of an API answer, which every account-link operation returns, checked
 * against the service model's patterns: a misbehaving endpoint's values (a 100 KB id, a
 * number) never reach a physical id or an attribute.
 */
export function checkedLink(link: AccountLink | undefined): AccountLink {
  if (!link) {
    throw new Error('the response has no AccountLink');
  }
  check('AccountLinkId', link.AccountLinkId, LINK_ID_PATTERN, true);
  check('AccountLinkStatus', link.AccountLinkStatus, STATUS_PATTERN, false);
  check('SourceAccountId', link.SourceAccountId, ACCOUNT_ID_PATTERN, false);
  check('TargetAccountId', link.TargetAccountId, ACCOUNT_ID_PATTERN, false);
  return link;
}

/** A status name as the API writes them; statuses added after this release pass too. */
const STATUS_PATTERN = /^[A-Z][A-Z_]{0,63}$/;

function check(field: string, value: unknown, pattern: RegExp, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !pattern.test(value)) {
    const shown = typeof value === 'string' && value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}... (${value.length} characters)` : JSON.stringify(value);
    throw new Error(`the API answered an AccountLink whose ${field} ${shown} does not match ${pattern.source}`);
  }
}

/**
 * Every page of ListAccountLinks, in the API's order, each link checked. A NextToken the
 * API answered before, or more than `maxPages` pages, fail the read: the listing would
 * never end, and what it returned so far is not the whole answer. The default bound,
 * MAX_LIST_PAGES, suits a read whose links go into a custom resource's answer; a reader
 * that keeps them to itself (AccountLinkTargets) sets its own.
 */
export async function listAccountLinks(
  statusFilter: readonly string[], { client, counter, signal }: ApiContext, { maxPages = MAX_LIST_PAGES }: { readonly maxPages?: number } = {},
): Promise<AccountLink[]> {
  const links: AccountLink[] = [];
  const filter = statusFilter.length > 0 ? ` with status ${statusFilter.join(' or ')}` : '';
  const fail = (message: string, cause?: unknown) => new AccountLinkApiError(`ListAccountLinks${filter} failed after ${links.length} links: ${message}`, cause);
  const tokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 1; ; page++) {
    if (page > maxPages) {
      throw fail(maxPages === MAX_LIST_PAGES
        ? `the listing did not end after ${MAX_LIST_PAGES} pages, more than a 4096-byte response could ever hold`
        : `the listing did not end after ${maxPages} pages`);
    }
    counter.calls++;
    let answer;
    try {
      answer = await client.send('ListAccountLinks', {
        ...(statusFilter.length > 0 ? { LinkStatusFilter: [...statusFilter] as never } : {}),
        MaxResults: LIST_PAGE_SIZE,
        NextToken: nextToken,
      }, signal);
      links.push(...(answer.AccountLinks ?? []).map(checkedLink));
    } catch (error) {
      throw fail(describeError(error), error);
    }
    nextToken = answer.NextToken || undefined;
    if (nextToken === undefined) {
      return links;
    }
    if (tokens.has(nextToken)) {
      throw fail(`page ${page} answered a NextToken it had answered before: the listing would never end`);
    }
    tokens.add(nextToken);
  }
}

