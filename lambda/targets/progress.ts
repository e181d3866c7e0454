import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../../src/contract';

/**
 * What an AccountLinkTargets request has done so far, handed from one invocation to the
 * next with the wait: the targets as the first invocation resolved them (Organizations is
 * read once a request), the link of each target, and the targets that failed and why.
 */
export interface TargetsProgress {
  /** The targets, sorted by account id. */
  readonly targets: string[];
  /** Targets this request may invite again when this resource's earlier invitation is gone: those it adds. */
  readonly added: string[];
  /** Each target's link, once invited or found. */
  readonly links: Record<string, string>;
  /** Targets that cannot get there, and why (an invitation or acceptance refused). */
  readonly failures: Record<string, string>;
  /** Targets whose acceptance was tried (each is tried once a request). */
  readonly answered: string[];
  /** On Update: the targets it removes whose invitations are still to deal with. */
  readonly removed: string[];
  /** Notes for the log (links left in place). */
  readonly notes: string[];
}

/** `value` as progress, if it has the shape the handler writes; undefined otherwise (the request starts over, which is safe). */
export function readProgress(value: unknown): TargetsProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<TargetsProgress>;
  const accounts = (list: unknown) => Array.isArray(list) && list.every((id) => typeof id === 'string' && ACCOUNT_ID_PATTERN.test(id));
  const record = (r: unknown, ok: (v: unknown) => boolean) => typeof r === 'object' && r !== null && !Array.isArray(r)
    && Object.entries(r).every(([k, v]) => ACCOUNT_ID_PATTERN.test(k) && ok(v));
  const valid = accounts(p.targets) && accounts(p.added) && accounts(p.answered) && accounts(p.removed)
    && record(p.links, (v) => typeof v === 'string' && LINK_ID_PATTERN.test(v))
    && record(p.failures, (v) => typeof v === 'string')
    && Array.isArray(p.notes) && p.notes.every((n) => typeof n === 'string');
  return valid ? p as TargetsProgress : undefined;
}

/** What a Delete has done so far: the pending invitations it has looked at, and how many it deleted. */
export interface ReleaseProgress {
  readonly checked: string[];
  readonly deleted: number;
}

export function readReleaseProgress(value: unknown): ReleaseProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<ReleaseProgress>;
  const valid = Array.isArray(p.checked) && p.checked.every((id) => typeof id === 'string' && LINK_ID_PATTERN.test(id))
    && Number.isSafeInteger(p.deleted) && p.deleted! >= 0;
  return valid ? p as ReleaseProgress : undefined;
}
