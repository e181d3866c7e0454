import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../../src/contract';

/**
 * What every hand-over of an AccountLinkTargets request carries: the chain of invocations
 * it belongs to (the ledger lets one chain act for a request) and how many of its calls
 * were throttled so far (a request that runs out of time blames throttling only then).
 */
export interface ChainProgress {
  /** The chain's id (see fence.ts). */
  readonly chain: string;
  /** Calls answered throttled so far, in every invocation of the chain. */
  readonly throttled: number;
}

/**
 * What a Create or Update has done so far, handed from one invocation to the next with
 * the wait: the targets as the first invocation resolved them (Organizations is read once
 * a request), the link of each target, and the targets that failed and why. The ledger,
 * not this, says which invitations the resource owns.
 */
export interface TargetsProgress extends ChainProgress {
  /** The targets, sorted by account id. */
  readonly targets: string[];
  /** Each target's link, once invited or found. */
  readonly links: Record<string, string>;
  /** Targets that cannot get there, and why (an invitation or acceptance refused). */
  readonly failures: Record<string, string>;
  /** Targets whose acceptance was tried (each is tried once a request). */
  readonly answered: string[];
  /** Notes for the log and the answer (links left in place, accounts skipped). */
  readonly notes: string[];
  /** The organization's management account, when the units were read: kept in the ledger, so that runs need not read it. */
  readonly management?: string;
}

/** A hand-over's progress of the shape `ok` checks, or undefined (the request starts over, which is safe). */
function read<T extends ChainProgress>(value: unknown, ok: (p: Partial<T>) => boolean): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<T>;
  const chain = typeof p.chain === 'string' && /^[\w-]{1,64}$/.test(p.chain) && Number.isSafeInteger(p.throttled) && p.throttled! >= 0;
  return chain && ok(p) ? p as T : undefined;
}

/** The chain a hand-over carries on, whatever else it carries: its first invocation may have resolved no target yet. */
export function readChainProgress(value: unknown): ChainProgress | undefined {
  return read<ChainProgress>(value, () => true);
}

const accounts = (list: unknown) => Array.isArray(list) && list.every((id) => typeof id === 'string' && ACCOUNT_ID_PATTERN.test(id));
const record = (r: unknown, ok: (v: unknown) => boolean) => typeof r === 'object' && r !== null && !Array.isArray(r)
  && Object.entries(r).every(([k, v]) => ACCOUNT_ID_PATTERN.test(k) && ok(v));

export function readProgress(value: unknown): TargetsProgress | undefined {
  return read<TargetsProgress>(value, (p) => accounts(p.targets) && accounts(p.answered)
    && record(p.links, (v) => typeof v === 'string' && LINK_ID_PATTERN.test(v))
    && record(p.failures, (v) => typeof v === 'string')
    && Array.isArray(p.notes) && p.notes.every((n) => typeof n === 'string')
    && (p.management === undefined || (typeof p.management === 'string' && ACCOUNT_ID_PATTERN.test(p.management))));
}

/** What a Delete (or an Update's release) has done so far: the invitations it deleted, and its notes. */
export interface ReleaseProgress extends ChainProgress {
  readonly deleted: number;
  readonly notes: string[];
}

export function readReleaseProgress(value: unknown): ReleaseProgress | undefined {
  return read<ReleaseProgress>(value, (p) => Number.isSafeInteger(p.deleted) && p.deleted! >= 0
    && Array.isArray(p.notes) && p.notes.every((n) => typeof n === 'string'));
}
