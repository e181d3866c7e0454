import type { AccountLinkStatus } from '../src/account-link-status';

/** How a link is found: by its id, or by the account on its other side (exactly one). */
export type AccountLinkLookup =
  | { readonly linkId: string; readonly linkedAccountId?: undefined }
  | { readonly linkedAccountId: string; readonly linkId?: undefined };

/** What a gate asks of a link: a status, and how long to wait for it while the link is pending. */
export interface Gate {
  readonly requiredStatus: AccountLinkStatus;
  /** 0: no wait, fail at once unless the status is the required one. */
  readonly waitTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/** `link link-…` or `linked account …`, for messages. */
export function describeLookup(lookup: AccountLinkLookup): string {
  return lookup.linkId !== undefined ? `link ${lookup.linkId}` : `linked account ${lookup.linkedAccountId}`;
}
