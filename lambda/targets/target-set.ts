import { accountsOfUnits, organizationsClient } from '../../core/organization-accounts';
import { accessCredentials, functionRegion } from '../function-client';
import { parseTargetsProperties, TargetsProperties } from '../resource-properties';
import type { TargetsProgress } from './progress';
import type { TargetsRun } from './run';
import type { CreateOrUpdateEvent } from '../resources/resource-handler';

/** The targets of `props`: those named and the ACTIVE accounts of the units, less the excluded ones and the source itself, sorted. */
export async function resolveTargets(props: TargetsProperties, run: TargetsRun): Promise<string[]> {
  const region = functionRegion(props.access);
  const fromUnits = props.organizationalUnitIds.length === 0 ? [] : (await accountsOfUnits(
    // As the source account: the function's role, or the role it assumes there.
    organizationsClient(region, accessCredentials(props.access, region)),
    props.organizationalUnitIds, props.includeNestedUnits, run.context.signal)).accounts
    // A unit may hold the source account: it cannot invite itself.
    .filter((id) => id !== run.sourceAccount);
  const excluded = new Set(props.excludeAccountIds);
  return [...new Set([...props.targetAccountIds, ...fromUnits])].filter((id) => !excluded.has(id)).sort();
}

/** A request's start, in its first invocation: the targets (Organizations is read once a request), those it adds and those it removes. */
export async function firstProgress(event: CreateOrUpdateEvent, props: TargetsProperties, run: TargetsRun): Promise<TargetsProgress> {
  const targets = await resolveTargets(props, run);
  // A Create's tokens are new: only an Update adds targets this resource may have invited before.
  let before: string[] = targets;
  if (event.RequestType === 'Update') {
    before = [];
    try {
      before = await resolveTargets(parseTargetsProperties(event.OldResourceProperties), run);
    } catch {
      // Old properties no request accepted: the resource had no targets.
    }
  }
  const now = new Set(targets);
  const earlier = new Set(before);
  return {
    targets,
    added: targets.filter((t) => !earlier.has(t)),
    removed: before.filter((t) => !now.has(t)),
    links: {},
    failures: {},
    answered: [],
    notes: [],
  };
}
