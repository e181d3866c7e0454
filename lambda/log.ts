import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { TargetsMetric } from '../src/contract';

/** The one structured line the handler writes per event. */
export interface EventLogLine {
  readonly requestType: string;
  readonly resourceType: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  /**
   * HANDED_OVER: a gate's wait goes on in a new invocation, which answers.
   * HANDOVER_UNCONFIRMED: Lambda may or may not have taken the hand-over; no answer was sent.
   * IGNORED: the request was answered, superseded or carried by another invocation (AccountLinkTargets' ledger); no answer was sent.
   */
  readonly outcome: 'SUCCESS' | 'FAILED' | 'HANDED_OVER' | 'HANDOVER_UNCONFIRMED' | 'IGNORED';
  readonly reason?: string;
  /** Something the handler decided that is worth knowing (an adopted invitation, a link left in place). */
  readonly note?: string;
  readonly apiCalls: number;
  /** Calls to AccountLinkTargets' ledger table (DynamoDB), when it has one. */
  readonly ledgerCalls?: number;
  /** A gate's GetAccountLink reads so far, every invocation counted. */
  readonly reads?: number;
  /** Which invocation of a handed-over wait this is (1 for the first). */
  readonly invocation: number;
  readonly durationMs: number;
  readonly responseAttempts: number;
  readonly responseError?: string;
  /** Lambda Invoke attempts of a hand-over. */
  readonly invokeAttempts?: number;
}

/** The one structured line the handler writes per reconcile run (no CloudFormation request: nothing is answered). */
export interface RunLogLine {
  /** The run: the schedule's time, or the organization event's id. */
  readonly reconcile: string;
  readonly trigger: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  /** RECONCILED: the run acted; IGNORED: it acted on nothing (why says why); FAILED: it stopped on an error. */
  readonly outcome: 'RECONCILED' | 'IGNORED' | 'FAILED';
  readonly reason?: string;
  readonly note?: string;
  /** Each metric's value (RECONCILED only). */
  readonly counts?: Readonly<Record<string, number>>;
  readonly finished?: boolean;
  readonly apiCalls: number;
  readonly ledgerCalls?: number;
  readonly durationMs: number;
}

/** Writes a run's line: ERROR when it failed, WARN when it could not finish or a target is not linked, else INFO. */
export function logRun(line: RunLogLine): void {
  const notLinked = (line.counts?.[TargetsMetric.NOT_LINKED_COUNT] ?? 0) > 0 || line.finished === false;
  write(line.outcome === 'FAILED' ? 'ERROR' : notLinked ? 'WARN' : 'INFO', line);
}

/** The level of an event's line: ERROR when CloudFormation got (or will get) no good answer, WARN when unsure. */
export function levelOf(line: EventLogLine): LogLevel {
  if (line.outcome === 'FAILED' || line.responseError !== undefined) return 'ERROR';
  return line.outcome === 'HANDOVER_UNCONFIRMED' ? 'WARN' : 'INFO';
}

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * Writes one line. Only the fields above are written: the event itself, and so its
 * `ResponseURL` (a pre-signed credential), is never logged.
 */
export function logEvent(line: EventLogLine): void {
  write(levelOf(line), line);
}

/** The line for a payload that was not an event to answer (see delivery.ts): dropped, never thrown. */
export function logIgnored(reason: string): void {
  write('WARN', { outcome: 'IGNORED', reason });
}

/**
 * Under Lambda's JSON log format (which the provider sets: `AWS_LAMBDA_LOG_FORMAT=JSON`),
 * the runtime writes a lone object argument as the line's `message` object, with the
 * console method's level, and drops what is below the function's application log level.
 * In the text format, it would print an object as `util.inspect` does: there, one JSON string.
 */
function write(level: LogLevel, line: object): void {
  const entry = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON' ? line : JSON.stringify(line);
  if (level === 'ERROR') console.error(entry);
  else if (level === 'WARN') console.warn(entry);
  else console.info(entry);
}

/** Log fields that come from the event. */
export function eventFields(event: CloudFormationCustomResourceEvent) {
  return {
    requestType: String(event.RequestType),
    resourceType: String(event.ResourceType),
    logicalResourceId: String(event.LogicalResourceId),
  };
}
