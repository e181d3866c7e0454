/// <reference path="./sdk-endpoint-rules.d.ts" />
import type * as api from '@aws-sdk/client-organizations';
import { bdd as organizationsRules } from '@aws-sdk/client-organizations/dist-cjs/endpoint/bdd';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { AccountLinkApiError } from './account-link-api';
import { describeError } from './describe-error';
import { resolvedEndpoint, Service } from './endpoints';
import { JsonApiClient } from './workspaces-client';

/** The Organizations operations the handler calls, with the SDK's types for what they take and answer. */
export interface OrganizationsOperations {
  ListAccountsForParent: [api.ListAccountsForParentRequest, api.ListAccountsForParentResponse];
  ListOrganizationalUnitsForParent: [api.ListOrganizationalUnitsForParentRequest, api.ListOrganizationalUnitsForParentResponse];
  DescribeOrganization: [Record<string, never>, api.DescribeOrganizationResponse];
}

/** Organizations' JSON 1.1 API: its signing name and `X-Amz-Target` prefix. */
const ORGANIZATIONS_API = { signingName: 'organizations', targetPrefix: 'AWSOrganizationsV20161128' };

/** Organizations, for its endpoints: a global endpoint in the aws partition (us-east-1), as its rules decide elsewhere. */
export const ORGANIZATIONS_SERVICE: Service = { name: 'organizations', rules: organizationsRules };

/** The most pages one listing may take: up to 20 accounts a page (the model's MaxResults), far more than an organization's account quota. */
const MAX_PAGES = 1_000;

/**
 * An Organizations client for the handler's Region's partition: its one global endpoint
 * (`AWS_ENDPOINT_URL_ORGANIZATIONS` overrides it) and the Region it signs for.
 */
export function organizationsClient(region: string, credentials: AwsCredentialIdentityProvider): JsonApiClient<OrganizationsOperations> {
  const { url, signingRegion } = resolvedEndpoint(ORGANIZATIONS_SERVICE, region);
  return new JsonApiClient<OrganizationsOperations>({ region: signingRegion, credentials, endpoint: url }, ORGANIZATIONS_API);
}

/**
 * The ACTIVE accounts of the units, and of their descendants with `nested`, sorted by id.
 * Suspended accounts and accounts still joining cannot use a link. A throttled call is
 * retried until the signal aborts, and no later than `retryUntil` (ms since the epoch).
 * Throws an AccountLinkApiError that names the service, the operation and the unit whose
 * listing failed, with the API's error as its cause (so that throttling reads as
 * throttling: isThrottled, isHandOverError).
 */
export async function accountsOfUnits(
  client: JsonApiClient<OrganizationsOperations>, unitIds: readonly string[], nested: boolean, signal?: AbortSignal, retryUntil?: number,
): Promise<{ readonly accounts: string[]; readonly calls: number }> {
  const accounts = new Set<string>();
  const seen = new Set<string>();
  const pending = [...unitIds];
  let calls = 0;
  const pages = async <T>(what: string, page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> => {
    const items: T[] = [];
    let token: string | undefined;
    for (let count = 1; ; count++) {
      if (count > MAX_PAGES) throw new Error(`Organizations ${what} did not end after ${MAX_PAGES} pages`);
      calls++;
      let answer;
      try {
        answer = await page(token);
      } catch (error) {
        throw new AccountLinkApiError(`Organizations ${what} failed: ${describeError(error)}`, error);
      }
      items.push(...answer.items);
      token = answer.next || undefined;
      if (token === undefined) return items;
    }
  };
  while (pending.length > 0) {
    const unit = pending.shift()!;
    if (seen.has(unit)) continue;
    seen.add(unit);
    const listed = await pages(`ListAccountsForParent for ${unit}`, async (NextToken) => {
      const answer = await client.send('ListAccountsForParent', { ParentId: unit, NextToken }, signal, retryUntil);
      return { items: answer.Accounts ?? [], next: answer.NextToken };
    });
    for (const account of listed) {
      // `State` replaces `Status` (to be retired on 2026-09-09, the model says); either says whether the account is active.
      const active = (account.State ?? account.Status) === 'ACTIVE';
      if (active && account.Id) accounts.add(account.Id);
    }
    if (nested) {
      const children = await pages(`ListOrganizationalUnitsForParent for ${unit}`, async (NextToken) => {
        const answer = await client.send('ListOrganizationalUnitsForParent', { ParentId: unit, NextToken }, signal, retryUntil);
        return { items: answer.OrganizationalUnits ?? [], next: answer.NextToken };
      });
      pending.push(...children.flatMap((child) => (child.Id ? [child.Id] : [])));
    }
  }
  return { accounts: [...accounts].sort(), calls };
}

/**
 * The organization's management account: StackSets never deploy to it (CloudFormation's
 * DeploymentTargets: "even if the management account is in your organization or in an OU
 * in your organization"), so no accept role is there. Undefined when the answer names none.
 */
export async function managementAccount(
  client: JsonApiClient<OrganizationsOperations>, signal?: AbortSignal, retryUntil?: number,
): Promise<string | undefined> {
  let answer;
  try {
    answer = await client.send('DescribeOrganization', {}, signal, retryUntil);
  } catch (error) {
    // The API's error as the cause: throttling there hands over, as anywhere.
    throw new AccountLinkApiError(`Organizations DescribeOrganization failed: ${describeError(error)}`, error);
  }
  return answer.Organization?.MasterAccountId;
}
