import type { EmulatedOrganization } from '../../../src/emulator/organization';
import { InProcessTargets, SOURCE } from '../in-process-targets';
import { Account, Parent, POOL, short, Spec, Start, Unit, UNITS, WorldEvent } from './model';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
/** The management account when no pool account is (DescribeOrganization's default in the emulator). */
const DEFAULT_MANAGEMENT = '000000000000';

/** What a request's properties resolve to now: its targets, or the units it names that are gone (it must fail). */
export type Resolution = { readonly targets: string[] } | { readonly missing: Unit[] };

/**
 * The world around the resource in one history: the organization (kept here as the test
 * sees it, and changed in the emulator alike), the targets' accept roles, the links others
 * made. It says what a request's properties resolve to, by the documented rule and not by
 * the handler's code, and whether the request must fail.
 */
export class World {
  /** The organization's tree for the emulator, from the history's start. */
  public static organization(start: Start): EmulatedOrganization {
    const where = (parent: Parent) => [...POOL].filter((a) => start.placement[a] === parent && a !== start.management);
    const [u1, u2] = UNITS;
    const withSource = (parent: Parent, accounts: string[]) => (start.source === parent ? [...accounts, SOURCE] : accounts);
    const managementIn = start.management === undefined ? undefined : start.placement[start.management];
    const accounts = (unit: Unit) => [...withSource(unit, where(unit)), ...(managementIn === unit ? [start.management!] : [])];
    return {
      ManagementAccountId: start.management,
      OrganizationalUnits: [{ Id: u1, Accounts: accounts(u1) }, { Id: u2, ...(start.nested ? { ParentId: u1 } : {}), Accounts: accounts(u2) }],
      // The management account is in the root unless a unit holds it (the emulator puts it there).
      RootAccounts: withSource('root', where('root')),
    };
  }

  /** Links from the source that others made (never the resource's). */
  public readonly foreign = new Set<string>();
  /** The targets that rejected an invitation, in order. */
  public readonly rejected: string[] = [];
  /** Every account a request delivered so far asked for (its targets, by the organization at the time). */
  public readonly asked = new Set<string>();
  public readonly management: string;
  /** How Lambda cuts the next request's first invocation short, if it does (a `cut` event). */
  public nextCut?: { readonly workMs: number; readonly twice: boolean };
  private readonly accounts = new Map<string, { parent: Parent; state: 'ACTIVE' | 'SUSPENDED' }>();
  /** Each unit that exists, and its parent. */
  private readonly units = new Map<Unit, Parent>();

  constructor(private readonly cloud: InProcessTargets, start: Start) {
    this.management = start.management ?? DEFAULT_MANAGEMENT;
    for (const account of POOL) {
      const parent = start.placement[account];
      if (parent !== 'out') this.accounts.set(account, { parent, state: 'ACTIVE' });
    }
    this.accounts.set(SOURCE, { parent: start.source, state: 'ACTIVE' });
    this.units.set(UNITS[0], 'root');
    this.units.set(UNITS[1], start.nested ? UNITS[0] : 'root');
    for (const account of start.refused) cloud.refused.add(account);
  }

  /**
   * What `spec` resolves to now, as the resource's documentation says: the accounts named,
   * and the ACTIVE accounts of the units (and of their descendants with `nested`), less the
   * source itself and the management account when only a unit holds it, less the excluded;
   * sorted. A unit that does not exist fails the request.
   */
  public resolve(spec: Spec): Resolution {
    const missing = spec.units.filter((u) => !this.units.has(u));
    if (missing.length > 0) return { missing };
    return { targets: this.targetsOf(spec) };
  }

  /** Notes what a delivery of `spec` may ask for now (the units that still exist). */
  public ask(spec: Spec): void {
    for (const account of this.targetsOf(spec)) this.asked.add(account);
  }

  /** Why a Create or Update of `spec` must fail now, if it must. */
  public mustFail(spec: Spec): string | undefined {
    const resolution = this.resolve(spec);
    if ('missing' in resolution) return `unit ${resolution.missing.map(short).join(', ')} is gone`;
    if (!spec.accept) return undefined;
    const links = this.cloud.emulator.snapshot().filter((l) => l.SourceAccountId === SOURCE);
    const unaccepted = resolution.targets.filter((t) => this.cloud.refused.has(t)
      && !links.some((l) => l.TargetAccountId === t && l.AccountLinkStatus === 'LINKED'));
    return unaccepted.length ? `the accept role of ${unaccepted.map(short).join(', ')} is refused` : undefined;
  }

  /** Carries out `event` (when it can be: an account moves only if it is in the organization, ...); says what happened. */
  public async apply(event: WorldEvent): Promise<string> {
    const organization = this.cloud.organization;
    const parentId = (parent: Parent) => (parent === 'root' ? organization.rootId : parent);
    const exists = (parent: Parent) => parent === 'root' || this.units.has(parent);
    const account = 'account' in event ? this.accounts.get(event.account) : undefined;
    const nothing = 'nothing happens';
    switch (event.kind) {
      case 'move':
        if (!account || !exists(event.to)) return nothing;
        organization.moveAccount(event.account, parentId(event.to));
        this.accounts.set(event.account, { ...account, parent: event.to });
        return 'done';
      case 'join':
        if (account || !exists(event.to)) return nothing;
        organization.addAccount(event.account, parentId(event.to));
        this.accounts.set(event.account, { parent: event.to, state: 'ACTIVE' });
        return 'done';
      case 'leave':
        if (!account || event.account === this.management) return nothing;
        organization.removeAccount(event.account);
        this.accounts.delete(event.account);
        return 'done';
      case 'suspend':
      case 'activate': {
        if (!account || event.account === this.management) return nothing;
        const state = event.kind === 'suspend' ? 'SUSPENDED' : 'ACTIVE';
        organization.setAccountState(event.account, state);
        this.accounts.set(event.account, { ...account, state });
        return 'done';
      }
      case 'dissolve': {
        if (!this.units.has(event.unit) || [...this.units.values()].includes(event.unit)) return nothing;
        for (const [id, a] of this.accounts) {
          if (a.parent !== event.unit) continue;
          organization.moveAccount(id, organization.rootId);
          this.accounts.set(id, { ...a, parent: 'root' });
        }
        organization.deleteUnit(event.unit);
        this.units.delete(event.unit);
        return 'done';
      }
      case 'refuse':
        this.cloud.refused.add(event.account);
        return 'done';
      case 'allow':
        this.cloud.refused.delete(event.account);
        return 'done';
      case 'forget':
        this.cloud.emulator.forgetClientTokens();
        return 'done';
      case 'lose':
        this.cloud.workspaces.lose += event.answers;
        return 'done';
      case 'accept':
      case 'reject': {
        const pending = this.cloud.emulator.snapshot().filter((l) => l.SourceAccountId === SOURCE && l.AccountLinkStatus === PENDING);
        if (!pending.length) return nothing;
        const link = pending[event.nth % pending.length];
        const operation = event.kind === 'accept' ? 'AcceptAccountLinkInvitation' : 'RejectAccountLinkInvitation';
        await this.cloud.clientOf(link.TargetAccountId).send(operation, { LinkId: link.AccountLinkId });
        if (event.kind === 'reject') this.rejected.push(link.TargetAccountId);
        return `${link.TargetAccountId}'s ${link.AccountLinkId} ${event.kind}ed`;
      }
      case 'cut':
        this.nextCut = { workMs: event.workMs, twice: event.twice };
        return 'done';
      case 'wait':
        this.cloud.passTime(event.minutes * 60_000);
        return 'done';
      case 'foreign': {
        try {
          const { AccountLink: link } = await this.cloud.clientOf(SOURCE).send('CreateAccountLinkInvitation', { TargetAccountId: event.account });
          this.foreign.add(link!.AccountLinkId!);
          return `${link!.AccountLinkId} made`;
        } catch (error) {
          // The account has an open link from the source already: nothing is made.
          if ((error as { name?: string }).name === 'ConflictException') return nothing;
          throw error;
        }
      }
    }
  }

  private targetsOf(spec: Spec): string[] {
    const scope = new Set<Parent>(spec.units.filter((u) => this.units.has(u)));
    if (spec.nested) {
      // Units under a unit in scope are in scope (two levels at most here).
      for (const [unit, parent] of this.units) if (scope.has(parent)) scope.add(unit);
    }
    const fromUnits = [...this.accounts].filter(([id, a]) => scope.has(a.parent) && a.state === 'ACTIVE' && id !== SOURCE)
      .map(([id]) => id)
      .filter((id) => id !== this.management || spec.named.includes(id as Account));
    const excluded = new Set<string>(spec.exclude);
    return [...new Set([...spec.named, ...fromUnits])].filter((id) => !excluded.has(id)).sort();
  }
}
