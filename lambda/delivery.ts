import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { WaitState } from '../core/wait-for-status';
import { HANDOVER_KEY, MAX_SERVICE_TIMEOUT_SECONDS } from '../src/contract';

/** The payload of the handler's asynchronous invocation of itself. */
export interface HandoverPayload {
  readonly [HANDOVER_KEY]: {
    readonly event: CloudFormationCustomResourceEvent;
    readonly wait: WaitState;
  };
}

/** What one invocation was given, once checked. */
export type Delivery =
  | { readonly kind: 'event'; readonly event: CloudFormationCustomResourceEvent }
  | { readonly kind: 'handover'; readonly event: CloudFormationCustomResourceEvent; readonly wait: WaitState }
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
    return { kind: 'ignored', reason: `the payload is ${input === null ? 'null' : typeof input}, not an object` };
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
    return { kind: 'handover', event: handover.event, wait: handover.wait as WaitState };
  }
  if (!isAnswerable(input)) {
    return { kind: 'ignored', reason: 'the payload is not a CloudFormation custom resource event (ResponseURL, StackId, RequestId or LogicalResourceId missing)' };
  }
  return { kind: 'event', event: input };
}

/** An event the handler can answer: it says where, and for which request and resource. */
function isAnswerable(value: unknown): value is CloudFormationCustomResourceEvent {
  return isObject(value)
    && ['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'].every((key) => typeof value[key] === 'string' && value[key] !== '')
    && /^https?:\/\//.test(value.ResponseURL as string);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
