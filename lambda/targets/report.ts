import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { Books } from './books';
import { ChangeContext, sendChanges } from './events';
import type { ObservedRecord, TargetStatus, Versioned } from './ledger';
import { metricDocument, writeMetrics } from './metrics';
import { changesBetween, countsOf, statusesOf } from './observation';
import { describeError } from '../../core/describe-error';
import { TargetsMetric } from '../../src/contract';
import { functionRegion } from '../function-client';
import { functionCredentials } from '../lambda-credentials';
import type { TargetsProperties } from '../resource-properties';

/**
 * The most bytes of statuses the ledger's `observed` item holds: DynamoDB's item limit is
 * 400 KB, names and the item's other attributes included (about 5,000 targets).
 */
const MAX_OBSERVED_BYTES = 380 * 1024;

/** What a run or a deployment of AccountLinkTargets saw and did, to report. */
export interface Seen {
  readonly books: Books;
  readonly props: TargetsProperties;
  /** The targets it wanted, and each one's link as last seen. */
  readonly targets: readonly string[];
  readonly current: ReadonlyMap<string, AccountLink>;
  /** What the resource's last run or deployment saw, as read (null: nothing yet; undefined: read it now). */
  readonly before?: Versioned<ObservedRecord> | null;
  /** The organization's management account, when read. */
  readonly management?: string;
  readonly throttled: number;
  readonly change: ChangeContext;
  /** Bounds the EventBridge calls. */
  readonly signal?: AbortSignal;
  readonly until?: number;
  /** Plain fields of the metric line (the run, what started it). */
  readonly fields?: Readonly<Record<string, string>>;
}

/**
 * Reports what a run or deployment saw: one metric line (EMF), one event per target whose
 * status changed since the last run or deployment (unless the resource opted out), and
 * the new statuses in the ledger for the next one. Never throws: what could not be done is
 * said in the notes it answers, and the links stay what the work made them.
 */
export async function report(seen: Seen): Promise<string[]> {
  const notes: string[] = [];
  const { books, props } = seen;
  const actor = books.event.RequestId;
  const statuses = statusesOf(seen.targets, seen.current);
  const records = books.all();
  const deleted = new Map(records.filter((r) => r.deletedBy === actor && r.linkId).map((r) => [r.target, r.linkId!]));
  writeMetrics(metricDocument(seen.change.resource, {
    ...countsOf(statuses),
    [TargetsMetric.INVITED]: records.filter((r) => r.request === actor && r.state !== 'refused' && r.linkId).length,
    [TargetsMetric.RELEASED]: deleted.size,
    [TargetsMetric.THROTTLED]: seen.throttled,
  }, seen.fields));
  try {
    const before = seen.before === undefined ? await books.ledger.observed() : seen.before ?? undefined;
    const changes = changesBetween(before?.value.statuses, statuses, deleted);
    const recorded: Record<string, TargetStatus> = { ...statuses };
    if (Buffer.byteLength(JSON.stringify(recorded)) > MAX_OBSERVED_BYTES) {
      // Unrecorded, every change would be sent again by every run: none is sent.
      notes.push(`the statuses of ${seen.targets.length} targets do not fit one ledger item (DynamoDB's 400 KB): `
        + 'no Account Link Changed event is sent, and runs take the last deployment\'s targets as those they knew');
      return notes;
    }
    if (props.publishEvents && changes.length > 0) {
      const { unsent, why } = await sendChanges(changes, seen.change, functionRegion(), functionCredentials, seen.signal, seen.until);
      if (unsent.length > 0) notes.push(`${unsent.length} of ${changes.length} Account Link Changed events were not sent: ${why}`);
      // A wanted target's change whose event was not sent is not recorded as seen: the next run finds it again and sends it.
      // (A target no longer wanted leaves the record either way: it is no target, and one that joins again is new.)
      for (const change of unsent.filter((c) => c.target in statuses)) {
        if (change.before) recorded[change.target] = change.before;
        else delete recorded[change.target];
      }
    }
    const management = seen.management ?? before?.value.management;
    if (changes.length > 0 || management !== before?.value.management) {
      // Lost to a newer writer, it stays as that one wrote it: the next run compares with what is newest.
      await books.ledger.writeObserved({ statuses: recorded, management, at: Date.now(), by: actor }, before?.version);
    }
  } catch (error) {
    notes.push(`the statuses were not recorded for the next run: ${describeError(error)}`);
  }
  return notes;
}

/** The metrics' dimension value: the resource's property, else `<stack name>/<logical id>` from its stack's id. */
export function metricResourceOf(props: TargetsProperties, stackId: string, logicalResourceId: string): string {
  return props.metricResource ?? `${stackId.split('/')[1] ?? stackId}/${logicalResourceId}`;
}
