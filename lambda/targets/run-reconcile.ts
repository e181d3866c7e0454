import type { Context } from 'aws-lambda';
import { reconcile, RunResult } from './reconcile';
import type { ApiContext } from '../../core/account-link-api';
import { withDeadline } from '../../core/deadline';
import { describeError } from '../../core/describe-error';
import type { ReconcileRequest } from '../../src/contract';
import { logRun } from '../log';
import { invocationBudget } from '../time-budget';

/**
 * Runs one reconcile run in this invocation and writes its line. Never throws: Lambda would
 * deliver the run again (the ledger would let it act on nothing, but the line says more).
 */
export async function runReconcile(request: ReconcileRequest, context: Context, started: number): Promise<void> {
  const budget = invocationBudget(started, context.getRemainingTimeInMillis());
  const counter: ApiContext['counter'] = { calls: 0 };
  let result: RunResult;
  try {
    result = await withDeadline(budget.workEndsAt, (signal) => reconcile(request, { counter, signal, window: budget }), () => counter.inFlight);
  } catch (error) {
    result = { outcome: 'FAILED', reason: describeError(error) };
  }
  logRun({
    reconcile: request.run,
    trigger: request.trigger,
    logicalResourceId: request.logicalResourceId,
    physicalResourceId: request.physicalResourceId,
    outcome: result.outcome,
    reason: result.outcome === 'IGNORED' ? result.why : result.outcome === 'FAILED' ? result.reason : undefined,
    note: result.outcome === 'RECONCILED' ? result.note : undefined,
    counts: result.outcome === 'RECONCILED' ? result.counts : undefined,
    finished: result.outcome === 'RECONCILED' ? result.finished : undefined,
    apiCalls: counter.calls,
    ledgerCalls: counter.ledgerCalls,
    durationMs: Date.now() - started,
  });
}
