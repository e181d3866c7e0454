import { ACCEPT_ROLE, OrganizationCloud, target } from '../local-aws/organization-cloud';

const OU = 'ou-ab12-steadyunit';
const NEWCOMERS_OU = 'ou-ab12-newcomers';

/** The calls of one reconcile run, by service, as the emulator and the handler's log line count them. */
export interface RunCalls {
  /** WorkSpaces calls, by operation. */
  readonly workspaces: Readonly<Record<string, number>>;
  /** Organizations calls, by operation. */
  readonly organizations: Readonly<Record<string, number>>;
  /** DynamoDB calls to the ledger. */
  readonly ledger: number;
  /** EventBridge PutEvents calls. */
  readonly putEvents: number;
  readonly outcome: string;
  readonly linked: number;
  readonly wallMs: number;
}

/** One run over `count` steady (LINKED) targets of one unit, then one after `newcomers` accounts joined the unit. */
export interface ReconcileFigures {
  readonly targets: number;
  readonly newcomers: number;
  readonly steady: RunCalls;
  readonly withNewcomers: RunCalls;
}

const ORGANIZATIONS = new Set(['DescribeOrganization', 'ListAccountsForParent', 'ListOrganizationalUnitsForParent']);

/**
 * Deploys one AccountLinkTargets over a unit of `count` accounts (accepted through a role,
 * all LINKED, the API unthrottled so that the set-up is quick), then measures two reconcile
 * runs as its schedule delivers them: one over the steady unit, one after `newcomers`
 * accounts moved into it.
 */
export async function reconcileRuns(count: number, newcomers: number): Promise<ReconcileFigures> {
  const steadyAccounts = Array.from({ length: count }, (_, i) => target(i + 1));
  const joining = Array.from({ length: newcomers }, (_, i) => target(count + i + 1));
  const cloud = await OrganizationCloud.start({
    targets: [...steadyAccounts, ...joining],
    organization: { OrganizationalUnits: [{ Id: OU, Accounts: steadyAccounts }, { Id: NEWCOMERS_OU, Accounts: joining }] },
  });
  try {
    const [created] = await cloud.deliver(cloud.event('Create', {
      OrganizationalUnitIds: [OU], AcceptRoleName: ACCEPT_ROLE, RequiredStatus: 'LINKED', CallsPerSecond: '50',
    }), 1, 10 * 60_000);
    if (created.body.Status !== 'SUCCESS') throw new Error(`the deployment failed: ${created.body.Reason}`);
    const id = created.body.PhysicalResourceId;
    const measure = async (time: Date): Promise<RunCalls> => {
      const before = { workspaces: cloud.emulator.requests.length, events: cloud.emulator.eventsRequests.length };
      const started = Date.now();
      const [line] = await cloud.reconcile(id, { time });
      const wallMs = Date.now() - started;
      const calls = cloud.emulator.requests.slice(before.workspaces);
      const tally = (keep: (operation: string) => boolean) => {
        const counts: Record<string, number> = {};
        for (const { operation } of calls.filter((c) => keep(c.operation))) counts[operation] = (counts[operation] ?? 0) + 1;
        return counts;
      };
      return {
        workspaces: tally((o) => !ORGANIZATIONS.has(o)),
        organizations: tally((o) => ORGANIZATIONS.has(o)),
        ledger: Number(line?.ledgerCalls ?? 0),
        putEvents: cloud.emulator.eventsRequests.length - before.events,
        outcome: String(line?.outcome),
        linked: Number((line?.counts as Record<string, number> | undefined)?.LinkedCount ?? 0),
        wallMs,
      };
    };
    // The schedule's runs, an hour apart: the first an hour ago, the second now (the handler acts on no run due later than now).
    const now = Date.now();
    const steady = await measure(new Date(now - 3_600_000));
    for (const account of joining) cloud.organization.moveAccount(account, OU);
    const withNewcomers = await measure(new Date(now));
    return { targets: count, newcomers, steady, withNewcomers };
  } finally {
    await cloud.close();
  }
}

/** Calls of a tally, in all. */
export function total(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((sum, n) => sum + n, 0);
}
