import { accountsOfUnits, managementAccount, organizationsClient } from '../../core/organization-accounts';
import { accessCredentials, functionRegion } from '../function-client';
import type { TargetsProperties } from '../resource-properties';
import type { TargetsRun } from './run';

/**
 * The targets of `props`, sorted: those named and the ACTIVE accounts of the units, less
 * the excluded ones and the source itself. The organization's management account is
 * skipped when only a unit holds it (StackSets never deploy its accept role there), with a
 * note; named in `targetAccountIds`, it is a target like any other. `knownManagement`, when
 * given, is that account, read before (DescribeOrganization is then not called).
 */
export async function resolveTargets(
  props: TargetsProperties, run: TargetsRun, knownManagement?: string,
): Promise<{ readonly targets: string[]; readonly notes: string[]; readonly management?: string }> {
  const notes: string[] = [];
  let fromUnits: string[] = [];
  let management = knownManagement;
  if (props.organizationalUnitIds.length > 0) {
    const region = functionRegion(props.access);
    // As the source account: the function's role, or the role it assumes there.
    const client = organizationsClient(region, accessCredentials(props.access, region, run.context.counter));
    // Throttled until the hand-over time, or cut off then: the successor reads again.
    const until = run.context.window.handOverAt;
    // An organization's management account never changes: a reconcile run takes it from the ledger.
    management ??= await managementAccount(client, run.signal, until);
    fromUnits = (await accountsOfUnits(client, props.organizationalUnitIds, props.includeNestedUnits, run.signal, until)).accounts
      // A unit may hold the source account: it cannot invite itself.
      .filter((id) => id !== run.sourceAccount);
    if (management !== undefined && fromUnits.includes(management) && !props.targetAccountIds.includes(management)) {
      fromUnits = fromUnits.filter((id) => id !== management);
      notes.push(`skipped the organization's management account ${management} of the units: StackSets never deploy to it; `
        + 'name it in targetAccountIds to link it');
    }
  }
  const excluded = new Set(props.excludeAccountIds);
  const targets = [...new Set([...props.targetAccountIds, ...fromUnits])].filter((id) => !excluded.has(id)).sort();
  return { targets, notes, management };
}
