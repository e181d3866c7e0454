import type { AccountLink } from '@aws-sdk/client-workspaces';
import type { Books } from './books';
import { ChangeContext, sendChanges } from './events';
import type { ObservedRecord, TargetStatus, Versioned } from './ledger';
import { metricDocument, writeMetrics } from './metrics';
import { changesBetween, countsOf, StatusChange, statusesOf } from './observation';
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
  /**
   * Link ids counted as invited and as released by earlier reports of the same actor (a
   * run's earlier rounds): not counted again, and those counted now are added.
   */
  readonly counted?: Counted;
}

/** The link ids an actor's reports counted so far as invited and as released. */
export interface Counted {
  readonly invited: Set<string>;
  readonly released: Set<string>;
}

/** Invitations the actor made and released that `counted` has not counted yet, now counted: what a Sum adds up. */
export function activity(
  books: Books, counted: Counted = { invited: new Set(), released: new Set() },
): { readonly invited: number; readonly released: number } {
  const actor = books.event.RequestId;
  const records = books.all();
  const newly = (ids: Array<string | undefined>, seen: Set<string>) => {
    const fresh = [...new Set(ids)].filter((id): id is string => id !== undefined && !seen.has(id));
    fresh.forEach((id) => seen.add(id));
    return fresh.length;
  };
  return {
    invited: newly(records.filter((r) => r.request === actor && r.state !== 'refused').map((r) => r.linkId), counted.invited),
    released: newly(records.filter((r) => r.deletedBy === actor).map((r) => r.linkId), counted.released),
  };
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
  const done = activity(books, seen.counted);
  writeMetrics(metricDocument(seen.change.resource, {
    ...countsOf(statuses),
    [TargetsMetric.INVITED]: done.invited,
    [TargetsMetric.RELEASED]: done.released,
    [TargetsMetric.THROTTLED]: seen.throttled,
  }, seen.fields));
  try {
    const before = seen.before === undefined ? await books.ledger.observed() : seen.before ?? undefined;
    // The changes since the last report, and those whose events it could not send (each from where it was first seen).
    const changes = withUnsent(changesBetween(before?.value.statuses, statuses, deleted), before?.value.unsent ?? []);
    const recorded: Record<string, TargetStatus> = { ...statuses };
    if (Buffer.byteLength(JSON.stringify(recorded)) > MAX_OBSERVED_BYTES) {
      // Unrecorded, every change would be sent again by every run: none is sent.
      notes.push(`the statuses of ${seen.targets.length} targets do not fit one ledger item (DynamoDB's 400 KB): `
        + 'no Account Link Changed event is sent, and runs take the last deployment\'s targets as those they knew');
      return notes;
    }
    let unsent: StatusChange[] = [];
    if (props.publishEvents && changes.length > 0) {
      const sent = await sendChanges(changes, seen.change, functionRegion(), functionCredentials, seen.signal, seen.until);
      unsent = [...sent.unsent];
      if (unsent.length > 0) notes.push(`${unsent.length} of ${changes.length} Account Link Changed events were not sent (the next run sends them): ${sent.why}`);
    }
    const management = seen.management ?? before?.value.management;
    if (changes.length > 0 || management !== before?.value.management) {
      // Lost to a newer writer, it stays as that one wrote it: the next run compares with what is newest.
      await books.ledger.writeObserved({ statuses: recorded, unsent, management, at: Date.now(), by: actor }, before?.version);
    }
  } catch (error) {
    notes.push(`the statuses were not recorded for the next run: ${describeError(error)}`);
  }
  return notes;
}

/**
 * `changes` with the last report's unsent ones: one that changed again since keeps where it
 * was first seen (its `before`); one that is back where it was is no change any more.
 */
function withUnsent(changes: readonly StatusChange[], unsent: NonNullable<ObservedRecord['unsent']>): StatusChange[] {
  const waiting = new Map(unsent.map((u) => [u.target, u]));
  const merged = changes.map((c) => (waiting.has(c.target) ? { ...c, before: waiting.get(c.target)!.before } : c));
  for (const c of changes) waiting.delete(c.target);
  return [...merged, ...waiting.values()]
    .filter((c) => c.before?.status !== c.after.status || c.before?.linkId !== c.after.linkId)
    .sort((x, y) => x.target.localeCompare(y.target));
}

/** The metrics' dimension value: the resource's property, else `<stack name>/<logical id>` from its stack's id. */
export function metricResourceOf(props: TargetsProperties, stackId: string, logicalResourceId: string): string {
  return props.metricResource ?? `${stackId.split('/')[1] ?? stackId}/${logicalResourceId}`;
}
