import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The one structured line the handler writes per event. */
export interface EventLogLine {
  readonly requestType: string;
  readonly resourceType: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId: string;
  /**
   * HANDED_OVER: a gate's wait goes on in a new invocation, which answers.
   * HANDOVER_UNCONFIRMED: Lambda may or may not have taken the hand-over; no answer was sent.
   */
  readonly outcome: 'SUCCESS' | 'FAILED' | 'HANDED_OVER' | 'HANDOVER_UNCONFIRMED';
  readonly reason?: string;
  /** Something the handler decided that is worth knowing (an adopted invitation, a link left in place). */
  readonly note?: string;
  readonly apiCalls: number;
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

/**
 * Writes one JSON line. Only the fields above are written: the event itself, and so its
 * `ResponseURL` (a pre-signed credential), is never logged.
 */
export function logEvent(line: EventLogLine): void {
  console.log(JSON.stringify(line));
}

/** The line for a payload that was not an event to answer (see delivery.ts): dropped, never thrown. */
export function logIgnored(reason: string): void {
  console.log(JSON.stringify({ outcome: 'IGNORED', reason }));
}

/** Log fields that come from the event. */
export function eventFields(event: CloudFormationCustomResourceEvent) {
  return {
    requestType: String(event.RequestType),
    resourceType: String(event.ResourceType),
    logicalResourceId: String(event.LogicalResourceId),
  };
}
