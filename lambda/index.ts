import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { withDeadline } from './deadline';
import { describeError } from './describe-error';
import { failurePhysicalId, handleEvent } from './handle-event';
import { invokeSelf } from './invoke-self';
import { eventFields, logEvent } from './log';
import { buildResponse, HandOver, Outcome } from './resource-response';
import { RESPONSE_RESERVE_MS, sendResponse } from './send-response';
import type { WaitState } from './wait-for-status';
import { createWorkSpacesClient } from './workspaces-client';
import { HANDOVER_KEY } from '../src/contract';

/** Time kept, before the response reserve, to hand a wait over to a new invocation. */
export const HANDOVER_RESERVE_MS = 10_000;

/** The payload of the handler's asynchronous invocation of itself. */
export interface HandoverPayload {
  readonly [HANDOVER_KEY]: {
    readonly event: CloudFormationCustomResourceEvent;
    readonly wait: WaitState;
  };
}

/**
 * Entry point of the custom resource provider (`index.handler`). It answers every event
 * exactly once, with a PUT to the event's ResponseURL, before the function times out; or,
 * when a gate's wait outlasts the invocation, hands the wait over to a fresh asynchronous
 * invocation of itself, which answers in its place.
 */
export async function handler(input: CloudFormationCustomResourceEvent | HandoverPayload, context: Context): Promise<void> {
  const started = Date.now();
  const handover = (input as HandoverPayload)[HANDOVER_KEY];
  const event = handover?.event ?? input as CloudFormationCustomResourceEvent;
  const counter = { calls: 0 };
  const handOverBy = started + context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS - HANDOVER_RESERVE_MS;

  let result: Outcome | HandOver;
  try {
    result = await withDeadline(context, RESPONSE_RESERVE_MS,
      (signal) => handleEvent(event, { counter, signal, handOverBy, handedOver: handover?.wait }));
  } catch (error) {
    // Only the deadline (or a bug) lands here: handleEvent turns every API error into an outcome.
    result = { status: 'FAILED', physicalResourceId: failurePhysicalId(event), reason: describeError(error) };
  }

  const log = { ...eventFields(event), apiCalls: counter.calls, reads: result.wait?.reads, invocation: handover?.wait.invocations ?? 1 };
  if (result.status === 'HANDED_OVER') {
    const wait = { ...result.wait, invocations: result.wait.invocations + 1 };
    try {
      await invokeSelf({
        functionArn: context.invokedFunctionArn,
        payload: { [HANDOVER_KEY]: { event, wait } } satisfies HandoverPayload,
        // The function's own role (never an assumed one) invokes the function.
        credentials: createWorkSpacesClient().config.credentials,
        timeoutMs: HANDOVER_RESERVE_MS / 2,
      });
      logEvent({ ...log, physicalResourceId: '', outcome: 'HANDED_OVER', durationMs: Date.now() - started, responseAttempts: 0 });
      return;
    } catch (error) {
      result = {
        status: 'FAILED',
        physicalResourceId: failurePhysicalId(event),
        reason: `could not hand the wait over to a new invocation: ${describeError(error)}`,
      };
    }
  }

  const response = buildResponse(event, result);
  const sent = await sendResponse(event.ResponseURL, response);
  logEvent({
    ...log,
    physicalResourceId: response.PhysicalResourceId,
    outcome: response.Status,
    reason: response.Reason,
    note: result.status === 'SUCCESS' ? result.note : undefined,
    durationMs: Date.now() - started,
    responseAttempts: sent.attempts,
    responseError: sent.error,
  });
}
