import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { withDeadline } from './deadline';
import { describeError } from './describe-error';
import { handleEvent } from './handle-event';
import { eventFields, logEvent } from './log';
import { buildResponse, Outcome } from './resource-response';
import { RESPONSE_RESERVE_MS, sendResponse } from './send-response';
import { createWorkSpacesClient } from './workspaces-client';

/**
 * Entry point of the custom resource provider (`index.handler`). It answers every event
 * exactly once, with a PUT to the event's ResponseURL, before the function times out.
 */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const started = Date.now();
  const counter = { calls: 0 };
  let outcome: Outcome;
  try {
    outcome = await withDeadline(context, RESPONSE_RESERVE_MS,
      (signal) => handleEvent(event, { client: createWorkSpacesClient(), counter, signal }));
  } catch (error) {
    // Only the deadline (or a bug) lands here: handleEvent turns every API error into an outcome.
    const physicalResourceId = (event as { PhysicalResourceId?: string }).PhysicalResourceId ?? event.RequestId;
    outcome = { status: 'FAILED', physicalResourceId, reason: describeError(error) };
  }
  const response = buildResponse(event, outcome);
  const sent = await sendResponse(event.ResponseURL, response);
  logEvent({
    ...eventFields(event),
    physicalResourceId: response.PhysicalResourceId,
    outcome: response.Status,
    reason: response.Reason,
    apiCalls: counter.calls,
    durationMs: Date.now() - started,
    responseAttempts: sent.attempts,
    responseError: sent.error,
  });
}
