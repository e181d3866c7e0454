import type { Context } from 'aws-lambda';
import { HandoverPayload, readDelivery } from './delivery';
import { handleEvent } from './handle-event';
import { functionCredentials } from './lambda-credentials';
import { eventFields, logEvent, logIgnored } from './log';
import { requestTime } from './request-time';
import { CreateProgress, failurePhysicalId } from './resource-handler';
import { buildResponse, EventResult } from './resource-response';
import { sendResponse } from './send-response';
import { invocationBudget } from './time-budget';
import type { ApiContext } from '../core/account-link-api';
import { withDeadline } from '../core/deadline';
import { describeError } from '../core/describe-error';
import { HANDOVER_KEY } from '../src/contract';

/**
 * Entry point of the custom resource provider (`index.handler`). Lambda delivers each event
 * at least once, so every path is built to give each CloudFormation request exactly one
 * verdict: it answers with one PUT to the event's ResponseURL before the function times
 * out (time-budget.ts), or, when a gate's wait outlasts the invocation, hands the wait
 * over to a fresh asynchronous invocation of itself, which answers in its place. When it
 * cannot tell whether Lambda took the hand-over, it sends nothing rather than risk an
 * answer the successor would contradict. Never throws: Lambda would retry the event.
 */
export async function handler(input: unknown, context: Context): Promise<void> {
  const started = Date.now();
  const delivery = readDelivery(input);
  if (delivery.kind === 'ignored') {
    logIgnored(delivery.reason);
    return;
  }
  if (delivery.kind === 'reconcile') {
    // Loaded with AccountLinkTargets' code, from its file (projenrc/bundle-handler.ts): a lookup's cold start never loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require('./targets/handler') as typeof import('./targets/handler')).runReconcile(delivery.request, context, started);
    return;
  }
  const { event } = delivery;
  const handedOver = delivery.kind === 'handover' ? delivery.wait : undefined;
  const handedOverProgress = delivery.kind === 'handover' ? delivery.progress : undefined;
  const budget = invocationBudget(started, context.getRemainingTimeInMillis());
  const counter: ApiContext['counter'] = { calls: 0 };
  const progress: CreateProgress = {};

  let result: EventResult;
  try {
    result = await withDeadline(budget.workEndsAt, (signal) => handleEvent(event, {
      counter, signal, progress, handedOver, handedOverProgress, window: budget, requestTime: requestTime(event.ResponseURL, started),
    }), () => counter.inFlight);
  } catch (error) {
    // Only the deadline (or a bug) lands here: handleEvent turns every API error into an outcome.
    result = { status: 'FAILED', physicalResourceId: failurePhysicalId(event, progress), reason: describeError(error) };
  }

  if (result.status === 'IGNORED') {
    // Another invocation answers (or answered) this request, or a newer request superseded it.
    logEvent({
      ...eventFields(event),
      apiCalls: counter.calls,
      ledgerCalls: counter.ledgerCalls,
      invocation: handedOver?.invocations ?? 1,
      physicalResourceId: '',
      outcome: 'IGNORED',
      note: `no answer sent: ${result.why}`,
      durationMs: Date.now() - started,
      responseAttempts: 0,
    });
    return;
  }
  const log = {
    ...eventFields(event),
    apiCalls: counter.calls,
    ledgerCalls: counter.ledgerCalls,
    reads: result.wait?.reads,
    invocation: handedOver?.invocations ?? 1,
  };
  // Set when Lambda refused the hand-over: this invocation answers, and its line says how many Invokes it took.
  let invokeAttempts: number | undefined;
  if (result.status === 'HANDED_OVER') {
    const wait = { ...result.wait, invocations: result.wait.invocations + 1 };
    // Loaded on the first hand-over, from a file of its own (projenrc/bundle-handler.ts): a lookup never hands over.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { invokeSelf } = require('./invoke-self') as typeof import('./invoke-self');
    const handover = await invokeSelf({
      functionArn: context.invokedFunctionArn,
      payload: { [HANDOVER_KEY]: { event, wait, progress: result.progress } } satisfies HandoverPayload,
      // The function's own role (never an assumed one) invokes the function.
      credentials: functionCredentials,
    });
    if (handover.kind !== 'refused') {
      // Accepted, or perhaps accepted: a successor answers, and this invocation must not.
      logEvent({
        ...log,
        physicalResourceId: '',
        outcome: handover.kind === 'accepted' ? 'HANDED_OVER' : 'HANDOVER_UNCONFIRMED',
        note: handover.kind === 'unknown'
          ? `no answer sent: Lambda may have accepted the hand-over (${handover.detail}); the successor answers, or the resource's ServiceTimeout ends the wait`
          : undefined,
        durationMs: Date.now() - started,
        responseAttempts: 0,
        invokeAttempts: handover.attempts,
      });
      return;
    }
    invokeAttempts = handover.attempts;
    result = {
      status: 'FAILED',
      physicalResourceId: failurePhysicalId(event, progress),
      reason: `could not hand the wait over to a new invocation: ${handover.detail}`,
    };
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
    invokeAttempts,
  });
}
