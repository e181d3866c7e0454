import { ACCOUNT_ID_PATTERN, ORGANIZATIONAL_UNIT_ID_PATTERN } from '../contract';

/** The `X-Amz-Target` prefix of the AWS Organizations JSON 1.1 protocol. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

/** Organizations' service model: RootId and OrganizationId (a ParentId is a root's or a unit's id). */
const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;
const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** The organization's id when the file names none (`o-` and 10 to 32 lowercase letters or digits). */
export const DEFAULT_ORGANIZATION_ID = 'o-emulatedorg';
/** The management account when the file names none: in the root unless a unit's Accounts hold it. */
export const DEFAULT_MANAGEMENT_ACCOUNT = '000000000000';
/** The root's id when nothing names one and there is no unit to take it from. */
const DEFAULT_ROOT_ID = 'r-root';

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
  /** The organization's id (`o-…`). @default o-emulatedorg */
  readonly Id?: string;
  /**
   * The root's id (`r-…`), a parent as the units are. @default - the root the units'
   * ParentIds name, else `r-` and the root part of the first unit's id (`ou-ab12-…` is in
   * `r-ab12`, as Organizations names units), else `r-root`
   */
  readonly RootId?: string;
  /**
   * The management account (DescribeOrganization's MasterAccountId): in the unit whose
   * Accounts hold it, as it may be in a real organization, else in the root.
   * @default 000000000000
   */
  readonly ManagementAccountId?: string;
  /** ACTIVE accounts directly in the root, besides the management account. */
  readonly RootAccounts?: string[];
}

/** An account's state, as ListAccountsForParent answers it. */
export type EmulatedAccountState = 'ACTIVE' | 'SUSPENDED';

/** An Organizations error: its `__type` and message. */
export class OrganizationsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/** The page size of the listings when the caller gives none (Organizations' own default is service-chosen; 20 shows paging). */
const DEFAULT_PAGE_SIZE = 20;

/** Checks an organization tree from a links file (or a test): ids, parents, each account in one place. */
export function checkOrganization(value: unknown, source = 'Organization'): EmulatedOrganization {
  const organization = value as EmulatedOrganization | undefined;
  const units = organization?.OrganizationalUnits;
  if (!Array.isArray(units)) throw new Error(`${source}: needs "OrganizationalUnits": [ { "Id", "ParentId"?, "Accounts"? }, ... ]`);
  const { Id: id, RootId: rootId, ManagementAccountId: management, RootAccounts: rootAccounts } = organization!;
  if (id !== undefined && !ORGANIZATION_ID_PATTERN.test(String(id))) throw new Error(`${source}: Id ${JSON.stringify(id)} does not match ${ORGANIZATION_ID_PATTERN.source}`);
  if (rootId !== undefined && !ROOT_ID_PATTERN.test(String(rootId))) throw new Error(`${source}: RootId ${JSON.stringify(rootId)} does not match ${ROOT_ID_PATTERN.source}`);
  if (management !== undefined && !ACCOUNT_ID_PATTERN.test(String(management))) {
    throw new Error(`${source}: ManagementAccountId ${JSON.stringify(management)} does not match ${ACCOUNT_ID_PATTERN.source}`);
  }
  if (rootAccounts !== undefined && !Array.isArray(rootAccounts)) throw new Error(`${source}: RootAccounts must be an array of account ids`);
  const ids = new Set<string>();
  // An account is in exactly one parent of an organization.
  const placed = new Map<string, string>();
  const place = (account: unknown, where: string) => {
    if (!ACCOUNT_ID_PATTERN.test(String(account))) throw new Error(`${where}: account ${JSON.stringify(account)} does not match ${ACCOUNT_ID_PATTERN.source}`);
    const earlier = placed.get(account as string);
    if (earlier !== undefined) throw new Error(`${where}: account ${account} is also in ${earlier}: an account is in one parent`);
    placed.set(account as string, where);
  };
  (rootAccounts ?? []).forEach((account) => place(account, `${source}.RootAccounts`));
  units.forEach((unit, index) => {
    const where = `${source}.OrganizationalUnits[${index}]`;
    if (!ORGANIZATIONAL_UNIT_ID_PATTERN.test(String(unit?.Id))) throw new Error(`${where}: Id ${JSON.stringify(unit?.Id)} does not match ${ORGANIZATIONAL_UNIT_ID_PATTERN.source}`);
    if (ids.has(unit.Id)) throw new Error(`${where}: Id ${unit.Id} appears twice`);
    ids.add(unit.Id);
    for (const account of [...(unit.Accounts ?? []), ...(unit.SuspendedAccounts ?? [])]) place(account, where);
  });
  if (management !== undefined && rootAccounts?.includes(management)) {
    throw new Error(`${source}: the management account ${management} is in the root already: leave it out of RootAccounts`);
  }
  if (units.some((unit) => unit.SuspendedAccounts?.includes(management ?? DEFAULT_MANAGEMENT_ACCOUNT))) {
    throw new Error(`${source}: the management account ${management ?? DEFAULT_MANAGEMENT_ACCOUNT} cannot be SUSPENDED`);
  }
  const roots = new Set(units.flatMap((unit) => (unit.ParentId?.startsWith('r-') ? [unit.ParentId] : [])));
  if (rootId !== undefined) roots.add(rootId);
  if (roots.size > 1) throw new Error(`${source}: the units name ${roots.size} roots (${[...roots].join(', ')}): an organization has one`);
  units.forEach((unit, index) => {
    if (unit.ParentId !== undefined && !ROOT_ID_PATTERN.test(unit.ParentId) && !ids.has(unit.ParentId)) {
      throw new Error(`${source}.OrganizationalUnits[${index}]: ParentId ${unit.ParentId} is neither a root (r-…) nor a unit of the file`);
    }
  });
  return { ...organization!, OrganizationalUnits: units };
}

/** The root an organization's file means: the one it names, else the one its units name, else the one its first unit's id is in. */
function rootOf(organization: EmulatedOrganization): string {
  const named = organization.RootId ?? organization.OrganizationalUnits.find((unit) => unit.ParentId?.startsWith('r-'))?.ParentId;
  if (named !== undefined) return named;
  const first = organization.OrganizationalUnits[0]?.Id;
  return first === undefined ? DEFAULT_ROOT_ID : `r-${first.split('-')[1]}`;
}

/**
 * An organization the emulator serves, as it is now: a root, units under it and under each
 * other, accounts in each, and the management account among them. Tests change it while a
 * stack runs (accounts join, move, leave; units come and go), as an organization changes.
 * Its accounts keep the order they joined their parent in.
 */
export class OrganizationTree {
  public readonly id: string;
  public readonly rootId: string;
  public readonly managementAccountId: string;
  /** Each unit's parent, in the order the units were made. */
  private readonly units = new Map<string, string>();
  private readonly accounts = new Map<string, { parentId: string; state: EmulatedAccountState }>();

  constructor(organization: EmulatedOrganization) {
    const checked = checkOrganization(organization);
    this.id = checked.Id ?? DEFAULT_ORGANIZATION_ID;
    this.rootId = rootOf(checked);
    this.managementAccountId = checked.ManagementAccountId ?? DEFAULT_MANAGEMENT_ACCOUNT;
    for (const unit of checked.OrganizationalUnits) this.units.set(unit.Id, unit.ParentId ?? this.rootId);
    const inUnits = checked.OrganizationalUnits.some((unit) => unit.Accounts?.includes(this.managementAccountId));
    if (!inUnits) this.accounts.set(this.managementAccountId, { parentId: this.rootId, state: 'ACTIVE' });
    for (const account of checked.RootAccounts ?? []) this.accounts.set(account, { parentId: this.rootId, state: 'ACTIVE' });
    for (const unit of checked.OrganizationalUnits) {
      for (const account of unit.Accounts ?? []) this.accounts.set(account, { parentId: unit.Id, state: 'ACTIVE' });
      for (const account of unit.SuspendedAccounts ?? []) this.accounts.set(account, { parentId: unit.Id, state: 'SUSPENDED' });
    }
  }

  /** Makes a unit under `parentId` (the root by default), as CreateOrganizationalUnit does. */
  public addUnit(unitId: string, parentId: string = this.rootId): void {
    if (!ORGANIZATIONAL_UNIT_ID_PATTERN.test(unitId)) throw new Error(`unit id ${JSON.stringify(unitId)} does not match ${ORGANIZATIONAL_UNIT_ID_PATTERN.source}`);
    if (this.units.has(unitId)) throw new Error(`unit ${unitId} exists already`);
    this.parent(parentId);
    this.units.set(unitId, parentId);
  }

  /**
   * Deletes a unit, as DeleteOrganizationalUnit does: only an empty one (its accounts and
   * units moved out first, else OrganizationalUnitNotEmptyException). Its listings then
   * answer ParentNotFoundException, as an unknown unit's do.
   */
  public deleteUnit(unitId: string): void {
    if (!this.units.has(unitId)) throw new Error(`no unit ${unitId}`);
    const accounts = [...this.accounts].filter(([, a]) => a.parentId === unitId).length;
    const units = [...this.units.values()].filter((parent) => parent === unitId).length;
    if (accounts + units > 0) {
      throw new Error(`unit ${unitId} holds ${accounts} accounts and ${units} units: Organizations deletes only an empty unit (move them out first)`);
    }
    this.units.delete(unitId);
  }

  /** An account joins the organization in `parentId` (the root by default), ACTIVE unless told. */
  public addAccount(accountId: string, parentId: string = this.rootId, state: EmulatedAccountState = 'ACTIVE'): void {
    if (!ACCOUNT_ID_PATTERN.test(accountId)) throw new Error(`account ${JSON.stringify(accountId)} does not match ${ACCOUNT_ID_PATTERN.source}`);
    if (this.accounts.has(accountId)) throw new Error(`account ${accountId} is in the organization already (in ${this.accounts.get(accountId)!.parentId})`);
    this.parent(parentId);
    this.accounts.set(accountId, { parentId, state });
  }

  /** Moves an account to another unit or to the root, as MoveAccount does (it is listed last there). */
  public moveAccount(accountId: string, parentId: string): void {
    const account = this.account(accountId);
    this.parent(parentId);
    this.accounts.delete(accountId);
    this.accounts.set(accountId, { ...account, parentId });
  }

  /** An account leaves the organization, as RemoveAccountFromOrganization does (never the management account). */
  public removeAccount(accountId: string): void {
    this.account(accountId);
    if (accountId === this.managementAccountId) throw new Error(`account ${accountId} is the management account, which cannot leave the organization`);
    this.accounts.delete(accountId);
  }

  /** Suspends an account, or makes it ACTIVE again (never the management account). */
  public setAccountState(accountId: string, state: EmulatedAccountState): void {
    const account = this.account(accountId);
    if (accountId === this.managementAccountId && state !== 'ACTIVE') throw new Error(`account ${accountId} is the management account, which stays ACTIVE`);
    this.accounts.set(accountId, { ...account, state });
  }

  /** Where an account is now (a unit's id or the root's), or undefined when it is not in the organization. */
  public parentOf(accountId: string): string | undefined {
    return this.accounts.get(accountId)?.parentId;
  }

  /** Answers DescribeOrganization, ListAccountsForParent and ListOrganizationalUnitsForParent, paginated as Organizations does. */
  public answer(operation: string, input: Record<string, unknown>): object {
    switch (operation) {
      case 'DescribeOrganization':
        return {
          Organization: {
            Id: this.id,
            Arn: `arn:aws:organizations::${this.managementAccountId}:organization/${this.id}`,
            FeatureSet: 'ALL',
            MasterAccountArn: this.arn('account', this.managementAccountId),
            MasterAccountId: this.managementAccountId,
          },
        };
      case 'ListAccountsForParent': {
        const parent = this.listedParent(input.ParentId);
        const accounts = [...this.accounts].filter(([, a]) => a.parentId === parent).map(([id, a]) => ({
          Id: id, Arn: this.arn('account', id), Name: `account ${id}`, State: a.state, Status: a.state,
        }));
        const { items, next } = page(accounts, input);
        return { Accounts: items, ...(next ? { NextToken: next } : {}) };
      }
      case 'ListOrganizationalUnitsForParent': {
        const parent = this.listedParent(input.ParentId);
        const children = [...this.units].filter(([, p]) => p === parent).map(([id]) => ({ Id: id, Arn: this.arn('ou', id), Name: id }));
        const { items, next } = page(children, input);
        return { OrganizationalUnits: items, ...(next ? { NextToken: next } : {}) };
      }
      default:
        throw new OrganizationsError('UnknownOperationException', `unknown operation ${JSON.stringify(operation)}`);
    }
  }

  private arn(type: 'account' | 'ou', id: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:${type}/${this.id}/${id}`;
  }

  private account(accountId: string) {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`account ${accountId} is not in the organization`);
    return account;
  }

  /** Checks that a parent a test names exists. */
  private parent(parentId: string): void {
    if (parentId !== this.rootId && !this.units.has(parentId)) throw new Error(`no parent ${parentId}: the root is ${this.rootId}, the units are ${[...this.units.keys()].join(', ')}`);
  }

  /** The ParentId a listing names, as the service model and the service check it. */
  private listedParent(parentId: unknown): string {
    if (typeof parentId !== 'string' || !(ROOT_ID_PATTERN.test(parentId) || ORGANIZATIONAL_UNIT_ID_PATTERN.test(parentId))) {
      throw new OrganizationsError('InvalidInputException', `ParentId ${JSON.stringify(parentId)} is neither a root id (r-…) nor an organizational unit id (ou-…-…)`);
    }
    if (parentId !== this.rootId && !this.units.has(parentId)) {
      throw new OrganizationsError('ParentNotFoundException', `We can't find a root or OU with the ParentId ${JSON.stringify(parentId)} that you specified.`);
    }
    return parentId;
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
