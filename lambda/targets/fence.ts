import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Holder, Ledger, MAX_REQUESTS, ResourceRecord, Versioned } from './ledger';

/**
 * The chain of invocations that carries one delivery of a request: its id is minted by the
 * invocation that took the delivery, and each hand-over passes it on with the next turn.
 */
export interface Chain {
  readonly id: string;
  readonly turn: number;
  /** When CloudFormation sent the request (its ResponseURL's signing time). */
  readonly requestTime: number;
}

/**
 * How long a chain's hold on a request lasts without a word from it: one invocation (the
 * function's 2 minutes) and the start of its hand-over's successor. A copy of the request
 * that comes later takes the request over (the chain went quiet: a crash, a lost hand-over).
 */
export const LEASE_MS = 3 * 60_000;

/** What a claim came to: this invocation carries the request, or it acts on nothing (and answers nothing). */
export type Claim =
  | { readonly kind: 'holds'; readonly record: Versioned<ResourceRecord> }
  | { readonly kind: 'ignored'; readonly why: string };

/** A resource's first record: where it invites from, nothing invited yet. */
export type FirstRecord = Pick<ResourceRecord, 'source' | 'region'>;

/**
 * Takes the resource for this request and chain, or says why this invocation must act on
 * nothing: the request was answered, or superseded by a newer request of the resource, or
 * another chain carries it; the resource was deleted (a late copy after the rollback's
 * Delete). One conditional write: of two invocations that claim at once, one wins.
 */
export async function claim(
  ledger: Ledger, event: CloudFormationCustomResourceEvent, chain: Chain, first: FirstRecord, now = Date.now(),
): Promise<Claim> {
  // Each lost race re-reads: the winner's claim then decides (ignored), so this ends.
  for (;;) {
    const current = await ledger.resource();
    const decision = decide(current?.value, event, chain, first, now);
    if ('why' in decision) return { kind: 'ignored', why: decision.why };
    if (await ledger.writeResource(decision.record, current?.version)) {
      return { kind: 'holds', record: { value: decision.record, version: (current?.version ?? 0) + 1 } };
    }
  }
}

/** What a claim writes, or why it does not. Exported for the unit tests of each case. */
export function decide(
  record: ResourceRecord | undefined, event: CloudFormationCustomResourceEvent, chain: Chain, first: FirstRecord, now: number,
): { readonly record: ResourceRecord } | { readonly why: string } {
  const request = event.RequestId;
  const holder: Holder = {
    request, chain: chain.id, turn: chain.turn, leaseUntil: now + LEASE_MS, requestTime: chain.requestTime, type: event.RequestType,
  };
  if (!record) {
    // A Delete may come first (its Create's copies all late or lost): it records the resource, so that they act on nothing.
    if (chain.turn > 1) return { why: 'the resource has no record any more' };
    return { record: { state: 'live', ...first, targets: [], requests: [request], holder } };
  }
  const held = record.holder;
  if (held.request === request) {
    if (held.answered) return { why: `it was answered (${held.answered}) already` };
    if (held.chain === chain.id) {
      return chain.turn === held.turn + 1 ? { record: { ...record, holder } } : { why: `invocation ${held.turn} of its chain carries it` };
    }
    if (now < held.leaseUntil) return { why: 'another invocation carries it' };
    // The chain that held it went quiet (a crash, a hand-over lost): this one goes on.
    return { record: { ...record, holder } };
  }
  if (record.requests.includes(request)) return { why: 'a newer request of the resource superseded it' };
  if (chain.requestTime < (held.requestTime ?? 0)) return { why: 'it is older than the request that holds the resource' };
  if (record.state === 'deleted') {
    // A Delete of a resource whose Delete succeeded already (sent again, by CloudFormation or a person): nothing is left to remove.
    if (event.RequestType !== 'Delete') return { why: 'the resource was deleted: this is a late copy of an earlier request' };
  } else if (event.RequestType === 'Create') {
    return { why: 'the resource exists already: this is a copy of a request it saw' };
  }
  // A newer Update or Delete: CloudFormation sends it once the one before was answered or given up on.
  return { record: { ...record, requests: [...record.requests, request].slice(-MAX_REQUESTS), holder } };
}

/** Whether this chain's invocation still holds the request: read before each call that cannot be taken back. */
export async function stillHolds(ledger: Ledger, event: CloudFormationCustomResourceEvent, chain: Chain): Promise<boolean> {
  const held = (await ledger.resource())?.value.holder;
  return held !== undefined && held.request === event.RequestId && held.chain === chain.id && held.turn === chain.turn && !held.answered;
}

/**
 * Records the request's one answer (and, with it, what the resource now is): false when
 * the request no longer holds the resource, and then nothing is answered. A reconcile run
 * writes its own field of the record while the request holds it (it says it stopped:
 * run-fence.ts), so a record written since is read again, and settled while it still
 * names this request's invocation as its holder.
 */
export async function settle(ledger: Ledger, held: Versioned<ResourceRecord>, verdict: 'SUCCESS' | 'FAILED', change: Partial<ResourceRecord> = {}): Promise<boolean> {
  const holder = held.value.holder;
  for (let current: Versioned<ResourceRecord> | undefined = held; ;) {
    const answered: ResourceRecord = { ...current.value, ...change, holder: { ...current.value.holder, answered: verdict } };
    if (await ledger.writeResource(answered, current.version)) return true;
    current = await ledger.resource();
    const now = current?.value.holder;
    if (!current || now?.request !== holder.request || now.chain !== holder.chain || now.turn !== holder.turn || now.answered) return false;
  }
}
