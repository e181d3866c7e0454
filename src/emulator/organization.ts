import { ACCOUNT_ID_PATTERN, ORGANIZATIONAL_UNIT_ID_PATTERN } from '../contract';

/** The `X-Amz-Target` prefix of the AWS Organizations JSON 1.1 protocol. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

/** An organizational unit the emulator serves: its accounts, and the units under it. */
export interface EmulatedOrganizationalUnit {
  readonly Id: string;
  /** The unit it is in: another unit's id, or the root (`r-…`, the default). */
  readonly ParentId?: string;
  /** Its accounts (all ACTIVE), by id. */
  readonly Accounts?: string[];
  /** Accounts of the unit that are SUSPENDED: listed, never linked. */
  readonly SuspendedAccounts?: string[];
}

/** The organization tree the emulator serves to Organizations calls. */
export interface EmulatedOrganization {
  readonly OrganizationalUnits: EmulatedOrganizationalUnit[];
}

/** An Organizations error: its `__type` and message. */
export class OrganizationsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/** The page size of the listings when the caller gives none (Organizations' own default is service-chosen; 20 shows paging). */
const DEFAULT_PAGE_SIZE = 20;

/** Checks an organization tree from a links file. */
export function checkOrganization(value: unknown, source = 'Organization'): EmulatedOrganization {
  const units = (value as EmulatedOrganization | undefined)?.OrganizationalUnits;
  if (!Array.isArray(units)) throw new Error(`${source}: needs "OrganizationalUnits": [ { "Id", "ParentId"?, "Accounts"? }, ... ]`);
  const ids = new Set<string>();
  units.forEach((unit, index) => {
    const where = `${source}.OrganizationalUnits[${index}]`;
    if (!ORGANIZATIONAL_UNIT_ID_PATTERN.test(String(unit?.Id))) throw new Error(`${where}: Id ${JSON.stringify(unit?.Id)} does not match ${ORGANIZATIONAL_UNIT_ID_PATTERN.source}`);
    if (ids.has(unit.Id)) throw new Error(`${where}: Id ${unit.Id} appears twice`);
    ids.add(unit.Id);
    for (const id of [...(unit.Accounts ?? []), ...(unit.SuspendedAccounts ?? [])]) {
      if (!ACCOUNT_ID_PATTERN.test(String(id))) throw new Error(`${where}: account ${JSON.stringify(id)} does not match ${ACCOUNT_ID_PATTERN.source}`);
    }
  });
  units.forEach((unit, index) => {
    if (unit.ParentId !== undefined && !unit.ParentId.startsWith('r-') && !ids.has(unit.ParentId)) {
      throw new Error(`${source}.OrganizationalUnits[${index}]: ParentId ${unit.ParentId} is neither a root (r-…) nor a unit of the file`);
    }
  });
  return { OrganizationalUnits: units };
}

/** Answers ListAccountsForParent and ListOrganizationalUnitsForParent for the tree, paginated as Organizations does. */
export function answerOrganizations(organization: EmulatedOrganization, operation: string, input: Record<string, unknown>): object {
  const parent = input.ParentId;
  const unit = organization.OrganizationalUnits.find((u) => u.Id === parent);
  if (typeof parent !== 'string' || (!unit && !parent.startsWith('r-'))) {
    throw new OrganizationsError('ParentNotFoundException', `We can't find a root or OU with the ParentId ${JSON.stringify(parent)} that you specified.`);
  }
  switch (operation) {
    case 'ListAccountsForParent': {
      const accounts = [
        ...(unit?.Accounts ?? []).map((id) => ({ Id: id, State: 'ACTIVE', Status: 'ACTIVE' })),
        ...(unit?.SuspendedAccounts ?? []).map((id) => ({ Id: id, State: 'SUSPENDED', Status: 'SUSPENDED' })),
      ].map((a) => ({ ...a, Arn: `arn:aws:organizations::000000000000:account/o-emulated/${a.Id}`, Name: `account ${a.Id}` }));
      const { items, next } = page(accounts, input);
      return { Accounts: items, ...(next ? { NextToken: next } : {}) };
    }
    case 'ListOrganizationalUnitsForParent': {
      const children = organization.OrganizationalUnits.filter((u) => (u.ParentId ?? 'r-root') === parent || (parent.startsWith('r-') && u.ParentId === undefined))
        .map((u) => ({ Id: u.Id, Arn: `arn:aws:organizations::000000000000:ou/o-emulated/${u.Id}`, Name: u.Id }));
      const { items, next } = page(children, input);
      return { OrganizationalUnits: items, ...(next ? { NextToken: next } : {}) };
    }
    default:
      throw new OrganizationsError('UnknownOperationException', `unknown operation ${JSON.stringify(operation)}`);
  }
}

function page<T>(items: T[], input: Record<string, unknown>): { items: T[]; next?: string } {
  const size = input.MaxResults === undefined ? DEFAULT_PAGE_SIZE : Number(input.MaxResults);
  if (!Number.isInteger(size) || size < 1 || size > 20) throw new OrganizationsError('InvalidInputException', 'MaxResults must be from 1 to 20');
  const token = input.NextToken;
  const start = token === undefined ? 0 : Number(/^page:(\d+)$/.exec(String(token))?.[1] ?? NaN);
  if (Number.isNaN(start)) throw new OrganizationsError('InvalidInputException', `NextToken ${JSON.stringify(token)} is not valid`);
  const next = start + size < items.length ? `page:${start + size}` : undefined;
  return { items: items.slice(start, start + size), next };
}
