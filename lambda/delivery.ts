import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { WaitState } from '../core/wait-for-status';
import { HANDOVER_KEY, MAX_SERVICE_TIMEOUT_SECONDS, RECONCILE_KEY, ReconcileRequest } from '../src/contract';

/** The payload of the handler's asynchronous invocation of itself. */
export interface HandoverPayload {
  readonly [HANDOVER_KEY]: {
    readonly event: CloudFormationCustomResourceEvent;
    readonly wait: WaitState;
    /** What the resource type carries on besides the wait (its own shape: its handler checks it). */
    readonly progress?: unknown;
  };
}

/** What one invocation was given, once checked. */
export type Delivery =
  | { readonly kind: 'event'; readonly event: CloudFormationCustomResourceEvent }
  | { readonly kind: 'handover'; readonly event: CloudFormationCustomResourceEvent; readonly wait: WaitState; readonly progress?: unknown }
  /** A reconcile run of an AccountLinkTargets resource (its schedule, or an organization event): nothing to answer. */
  | { readonly kind: 'reconcile'; readonly request: ReconcileRequest }
  /** Nothing to answer, or nowhere to answer it: logged and dropped. */
  | { readonly kind: 'ignored'; readonly reason: string };

/**
 * Sorts out what Lambda delivered: a CloudFormation event, a hand-over from a previous
 * invocation, or something else. Anything that is not exactly one of the first two is
 * ignored rather than guessed at: answering a malformed hand-over could contradict the
 * invocation that really carries the wait on.
 */
export function readDelivery(input: unknown): Delivery {
  if (!isObject(input)) {
    return { kind: 'ignored', reason: `the payload is ${kindOf(input)}, not an object` };
  }
  if (HANDOVER_KEY in input) {
    const handover = input[HANDOVER_KEY];
    if (!isObject(handover) || !isAnswerable(handover.event)) {
      return { kind: 'ignored', reason: 'the hand-over payload has no CloudFormation event to answer' };
    }
    const problem = waitStateProblem(handover.wait);
    if (problem) {
      return { kind: 'ignored', reason: `the hand-over payload's wait state ${problem}` };
    }
    return { kind: 'handover', event: handover.event, wait: handover.wait as WaitState, progress: handover.progress };
  }
  if (RECONCILE_KEY in input) {
    const problem = reconcileProblem(input[RECONCILE_KEY]);
    if (problem) return { kind: 'ignored', reason: `the reconcile payload ${problem}` };
    return { kind: 'reconcile', request: input[RECONCILE_KEY] as unknown as ReconcileRequest };
  }
  const problem = answerProblem(input);
  if (problem) return { kind: 'ignored', reason: problem };
  return { kind: 'event', event: input as unknown as CloudFormationCustomResourceEvent };
}

/** The fields that say where to answer, and for which request and resource. */
const ANSWER_FIELDS = ['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'] as const;

/** Why the handler cannot answer `value`, or undefined when it can. */
function answerProblem(value: Record<string, unknown>): string | undefined {
  const missing = ANSWER_FIELDS.filter((key) => typeof value[key] !== 'string' || value[key] === '');
  if (missing.length > 0) return `the payload is not a CloudFormation custom resource event (${missing.join(', ')} missing)`;
  let protocol: string | undefined;
  try {
    protocol = new URL(value.ResponseURL as string).protocol;
  } catch {
    // not a URL at all
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    return `the event's ResponseURL is not an http(s) URL${protocol ? ` (${protocol})` : ''}: nowhere to answer`;
  }
  return undefined;
}

/** An event the handler can answer. */
function isAnswerable(value: unknown): value is CloudFormationCustomResourceEvent {
  return isObject(value) && answerProblem(value) === undefined;
}

/** What a payload that is not an object is, in words. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Why a wait state cannot be carried on, or undefined when it can. */
function waitStateProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is missing';
  const fields = ['startedAt', 'endsAt', 'reads', 'nextReadAt', 'invocations'] as const;
  const bad = fields.filter((field) => typeof value[field] !== 'number' || !Number.isSafeInteger(value[field]) || (value[field] as number) < 0);
  if (bad.length > 0) return `has no whole, non-negative ${bad.join(', ')}`;
  const wait = value as unknown as WaitState;
  if (wait.endsAt < wait.startedAt || wait.endsAt - wait.startedAt > MAX_SERVICE_TIMEOUT_SECONDS * 1000) {
    return `lasts ${wait.endsAt - wait.startedAt} ms, not 0 to ${MAX_SERVICE_TIMEOUT_SECONDS} s`;
  }
  if (wait.nextReadAt < wait.startedAt || wait.nextReadAt > wait.endsAt) return 'has its next read outside the wait';
  if (wait.invocations < 2) return 'names no earlier invocation';
  return undefined;
}

/** What a reconcile request's fields must look like (src/contract.ts ReconcileRequest; DynamoDB's TableName pattern). */
const RECONCILE_FIELDS: { readonly [K in keyof ReconcileRequest]: RegExp } = {
  stackId: /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[^/]{1,128}\/[^/]{1,64}$/,
  logicalResourceId: /^[A-Za-z0-9]{1,255}$/,
  physicalResourceId: /^[\x20-\x7e]{1,256}$/,
  ledgerTable: /^[a-zA-Z0-9_.-]{3,255}$/,
  run: /^[\x20-\x7e]{1,256}$/,
  time: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/,
  trigger: /^(schedule|account-event)$/,
};

/** Why a reconcile request cannot be run, or undefined when it can. */
function reconcileProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not an object';
  const bad = (Object.keys(RECONCILE_FIELDS) as Array<keyof ReconcileRequest>)
    .filter((field) => typeof value[field] !== 'string' || !RECONCILE_FIELDS[field].test(value[field] as string));
  if (bad.length > 0) return `has no valid ${bad.join(', ')}`;
  if (Number.isNaN(Date.parse(value.time as string))) return `has a time that is no date (${JSON.stringify(value.time)})`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
