import { readFileSync } from 'node:fs';
import { AccountLinkStatus } from '../account-link-status';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../contract';
import { checkOrganization, EmulatedOrganization } from './organization';

/** A link the emulator serves, in the API's `AccountLink` shape. */
export interface EmulatedAccountLink {
  readonly AccountLinkId: string;
  readonly SourceAccountId: string;
  readonly TargetAccountId: string;
  /** The status reads see, or the first of `StatusSequence`. */
  readonly AccountLinkStatus?: string;
  /**
   * Successive statuses: each read that returns the link (GetAccountLink, or a
   * ListAccountLinks page that holds it) moves one step on; the last one stays.
   * Plays a pending invitation that gets accepted.
   */
  readonly StatusSequence?: string[];
}

const STATUSES = new Set<string>(Object.values(AccountLinkStatus));

/**
 * Reads and checks a links file: `{ "AccountLinks": [ ... ] }` (the ListAccountLinks
 * answer's shape) or a plain array of links.
 */
export function readLinksFile(path: string): EmulatedAccountLink[] {
  return readEmulatorFile(path).links;
}

/**
 * Reads and checks an emulator file: its links and, under `"Organization"`, the
 * organization tree (`{ "OrganizationalUnits": [ { "Id", "ParentId"?, "Accounts"?,
 * "SuspendedAccounts"? } ], "Id"?, "RootId"?, "ManagementAccountId"?, "RootAccounts"? }`;
 * each optional field has a default, see EmulatedOrganization).
 */
export function readEmulatorFile(path: string): { links: EmulatedAccountLink[]; organization?: EmulatedOrganization } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read links file ${path}: ${(error as Error).message}`);
  }
  const links = Array.isArray(parsed) ? parsed : (parsed as { AccountLinks?: unknown })?.AccountLinks;
  if (!Array.isArray(links)) {
    throw new Error(`links file ${path} must hold an array of links or { "AccountLinks": [...] }`);
  }
  const organization = Array.isArray(parsed) ? undefined : (parsed as { Organization?: unknown }).Organization;
  return {
    links: checkLinks(links, path),
    organization: organization === undefined ? undefined : checkOrganization(organization, `${path}: Organization`),
  };
}

/** Checks seeded links against the service model's patterns and statuses. */
export function checkLinks(links: unknown[], source = 'links'): EmulatedAccountLink[] {
  const seen = new Set<string>();
  return links.map((raw, index) => {
    const link = raw as EmulatedAccountLink;
    const where = `${source}[${index}]`;
    const fail = (what: string) => {
      throw new Error(`${where}: ${what}`);
    };
    if (typeof link !== 'object' || link === null) fail('not an object');
    if (!LINK_ID_PATTERN.test(String(link.AccountLinkId))) fail(`AccountLinkId ${JSON.stringify(link.AccountLinkId)} does not match ${LINK_ID_PATTERN.source}`);
    if (seen.has(link.AccountLinkId)) fail(`AccountLinkId ${link.AccountLinkId} appears twice`);
    seen.add(link.AccountLinkId);
    for (const field of ['SourceAccountId', 'TargetAccountId'] as const) {
      if (!ACCOUNT_ID_PATTERN.test(String(link[field]))) fail(`${field} ${JSON.stringify(link[field])} does not match ${ACCOUNT_ID_PATTERN.source}`);
    }
    const statuses = link.StatusSequence ?? (link.AccountLinkStatus !== undefined ? [link.AccountLinkStatus] : []);
    if (statuses.length === 0) fail('needs AccountLinkStatus or StatusSequence');
    for (const status of statuses) {
      if (!STATUSES.has(status)) fail(`unknown status ${JSON.stringify(status)}`);
    }
    return link;
  });
}
