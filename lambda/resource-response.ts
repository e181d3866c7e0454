import { createHash } from 'node:crypto';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { oneLine } from '../core/describe-error';
import type { WaitState } from '../core/wait-for-status';

/** CloudFormation rejects a custom resource response body larger than this. */
export const MAX_RESPONSE_BYTES = 4096;
/** Reasons are cut to this many bytes, so that a long API message cannot crowd out the rest. */
export const MAX_REASON_BYTES = 1024;
/**
 * The longest physical id answered. Every id the handler makes is far shorter; this bounds
 * one made from a value it did not expect, so that the response always fits.
 */
export const MAX_PHYSICAL_ID_LENGTH = 256;

/** What handling an event came to, before it is put in CloudFormation's response shape. */
export type Outcome =
  | {
    readonly status: 'SUCCESS';
    readonly physicalResourceId: string;
    readonly data?: Record<string, string>;
    /** Names what `data` holds, for the reason when it is too large to send (e.g. "120 account links"). */
    readonly dataDescription?: string;
    /** Where the gate's wait ended, if the resource has a gate. */
    readonly wait?: WaitState;
    /** Something worth a word in the log (an adopted invitation, a link left in place). */
    readonly note?: string;
    /** Said with the success too (the response's Reason, optional on SUCCESS), while the answer still fits. */
    readonly reason?: string;
  }
  | {
    readonly status: 'FAILED';
    readonly physicalResourceId: string;
    readonly reason: string;
    readonly wait?: WaitState;
  };

/** This invocation acts for nothing and answers nothing: the request was answered, superseded, or is carried by another invocation. */
export interface Ignored {
  readonly status: 'IGNORED';
  readonly why: string;
}

/** The wait goes on in a fresh invocation, which will answer; this one must not. */
export interface HandOver {
  readonly status: 'HANDED_OVER';
  readonly wait: WaitState;
  /** What the successor needs besides the wait (AccountLinkTargets' targets and links). */
  readonly progress?: unknown;
}

/** What handling one event comes to: an outcome to answer, a hand-over, or nothing at all. */
export type EventResult = Outcome | HandOver | Ignored;

/**
 * The response body for `event`. It always fits CloudFormation's limit: a successful
 * outcome whose attributes would not fit becomes a failure that says why. A failed Update
 * or Delete keeps the resource's physical id, whatever the outcome names: a new id would
 * read as a replacement.
 */
export function buildResponse(event: CloudFormationCustomResourceEvent, outcome: Outcome): CloudFormationCustomResourceResponse {
  const common = {
    PhysicalResourceId: boundedPhysicalId(outcome.physicalResourceId),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  const failed = (reason: string): CloudFormationCustomResourceResponse => ({
    ...common,
    ...('PhysicalResourceId' in event && event.PhysicalResourceId ? { PhysicalResourceId: event.PhysicalResourceId } : {}),
    Status: 'FAILED',
    Reason: cutReason(reason),
  });
  if (outcome.status === 'FAILED') {
    return failed(outcome.reason);
  }
  const response: CloudFormationCustomResourceResponse = { ...common, Status: 'SUCCESS', Data: outcome.data };
  const size = byteLength(response);
  if (size <= MAX_RESPONSE_BYTES) {
    const said: CloudFormationCustomResourceResponse = outcome.reason ? { ...response, Reason: cutReason(outcome.reason) } : response;
    return byteLength(said) <= MAX_RESPONSE_BYTES ? said : response;
  }
  const what = outcome.dataDescription ?? 'the attributes';
  return failed(`${what} make a ${size}-byte response, over CloudFormation's ${MAX_RESPONSE_BYTES}-byte limit for custom resources: narrow the lookup (for AccountLinks, set statusFilter)`);
}

/** The id as it is, or, when longer than MAX_PHYSICAL_ID_LENGTH, its start and a hash of the whole (still one id per value). */
export function boundedPhysicalId(id: string): string {
  if (id.length <= MAX_PHYSICAL_ID_LENGTH) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${id.slice(0, MAX_PHYSICAL_ID_LENGTH - hash.length - 1)}#${hash}`;
}

export function byteLength(response: CloudFormationCustomResourceResponse): number {
  return Buffer.byteLength(JSON.stringify(response));
}

/**
 * One line of printable text (control characters become spaces), at most MAX_REASON_BYTES
 * bytes of UTF-8 (cut on a character boundary).
 */
export function cutReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  const line = oneLine(reason.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '));
  if (Buffer.byteLength(line) <= MAX_REASON_BYTES) {
    return line;
  }
  const ellipsis = '...';
  let cut = line.slice(0, MAX_REASON_BYTES - ellipsis.length);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - ellipsis.length) {
    cut = cut.slice(0, -1);
  }
  return cut + ellipsis;
}
