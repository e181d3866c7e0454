/// <reference path="../../core/sdk-endpoint-rules.d.ts" />
import type * as eventbridge from '@aws-sdk/client-eventbridge';
import { bdd as eventbridgeRules } from '@aws-sdk/client-eventbridge/dist-cjs/endpoint/bdd';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { StatusChange } from './observation';
import { describeError } from '../../core/describe-error';
import { resolvedEndpoint, Service } from '../../core/endpoints';
import { JsonApiClient } from '../../core/workspaces-client';
import { ACCOUNT_LINK_CHANGED, AccountLinkChangedDetail, EVENT_SOURCE } from '../../src/contract';

/** The one EventBridge operation the handler makes, with the SDK's types for what it takes and answers. */
interface EventBridgeOperations {
  PutEvents: [eventbridge.PutEventsRequest, eventbridge.PutEventsResponse];
}

/** EventBridge, for its endpoints (`AWS_ENDPOINT_URL_EVENTBRIDGE`). */
export const EVENTBRIDGE_SERVICE: Service = { name: 'eventbridge', rules: eventbridgeRules };

/** EventBridge's API: AWS JSON 1.1. */
const EVENTBRIDGE_API = { signingName: 'events', targetPrefix: 'AWSEvents', jsonVersion: '1.1' } as const;

/** PutEvents takes at most 10 entries a call (its `Entries` list). */
export const MAX_ENTRIES_PER_CALL = 10;

/** PutEvents takes less than 256 KB of entries a call, counted as EventBridge counts them (entrySize). */
export const MAX_CALL_BYTES = 256 * 1024;

/** Where a change was seen, for the events' detail. */
export interface ChangeContext {
  readonly sourceAccountId: string;
  readonly resource: string;
  readonly stackId: string;
  readonly physicalResourceId: string;
  readonly observedBy: AccountLinkChangedDetail['observedBy'];
}

/** An ACCOUNT_LINK_CHANGED event's detail for one change. */
export function changeDetail(change: StatusChange, context: ChangeContext): AccountLinkChangedDetail {
  return {
    sourceAccountId: context.sourceAccountId,
    targetAccountId: change.target,
    accountLinkId: change.after.linkId ?? change.before?.linkId,
    oldStatus: change.before?.status,
    newStatus: change.after.status,
    resource: context.resource,
    stackId: context.stackId,
    physicalResourceId: context.physicalResourceId,
    observedBy: context.observedBy,
  };
}

/**
 * An entry's size as EventBridge counts it against the call's limit ("Calculating
 * PutEvents event entry size"): the UTF-8 bytes of Source, DetailType and Detail (no Time,
 * Resources or bus name is sent).
 */
export function entrySize(entry: eventbridge.PutEventsRequestEntry): number {
  return [entry.Source, entry.DetailType, entry.Detail].reduce((sum, text) => sum + Buffer.byteLength(text ?? '', 'utf8'), 0);
}

/** The calls' entries: at most MAX_ENTRIES_PER_CALL and MAX_CALL_BYTES each, in order. */
export function batches<T extends { readonly entry: eventbridge.PutEventsRequestEntry }>(entries: readonly T[]): T[][] {
  const calls: T[][] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry.entry);
    const last = calls[calls.length - 1];
    // "The total entry size must be less than 256KB" (PutEvents): never equal to it.
    if (!last || last.length === MAX_ENTRIES_PER_CALL || bytes + size >= MAX_CALL_BYTES) {
      calls.push([entry]);
      bytes = size;
    } else {
      last.push(entry);
      bytes += size;
    }
  }
  return calls;
}

/** What sending the events came to: the changes EventBridge did not take, and why. */
export interface Sent {
  readonly unsent: readonly StatusChange[];
  readonly why?: string;
}

/**
 * Sends one ACCOUNT_LINK_CHANGED event per change to the account's default bus (the only
 * one the provider's role may put to). An entry EventBridge refuses for a passing reason
 * (throttling, an internal failure) is sent again once; what still fails is answered (the
 * caller keeps it to send again next time) and said, never thrown: the links are what the
 * run or deployment is for.
 */
export async function sendChanges(
  changes: readonly StatusChange[], context: ChangeContext, region: string, credentials: AwsCredentialIdentityProvider,
  signal?: AbortSignal, until?: number,
): Promise<Sent> {
  if (changes.length === 0) return { unsent: [] };
  const { url, signingRegion } = resolvedEndpoint(EVENTBRIDGE_SERVICE, region);
  const client = new JsonApiClient<EventBridgeOperations>({ region: signingRegion, credentials, endpoint: url }, EVENTBRIDGE_API);
  const entries = changes.map((change) => ({
    Source: EVENT_SOURCE,
    DetailType: ACCOUNT_LINK_CHANGED,
    Detail: JSON.stringify(changeDetail(change, context)),
  }));
  const unsent = new Set<number>();
  const reasons = new Set<string>();
  for (const batch of batches(entries.map((entry, index) => ({ entry, index })))) {
    let todo = batch;
    for (let attempt = 1; attempt <= 2 && todo.length > 0; attempt++) {
      let results: eventbridge.PutEventsResultEntry[];
      try {
        results = (await client.send('PutEvents', { Entries: todo.map((t) => t.entry) }, signal, until)).Entries ?? [];
      } catch (error) {
        // The call itself failed (after the client's own retries): the batch is not sent.
        reasons.add(describeError(error));
        break;
      }
      const again: typeof todo = [];
      todo.forEach((item, i) => {
        const result = results[i];
        if (result?.EventId && !result.ErrorCode) return;
        reasons.add(result?.ErrorCode ? `${result.ErrorCode}${result.ErrorMessage ? ` (${result.ErrorMessage})` : ''}` : 'an entry without an answer');
        if (result?.ErrorCode && isPassing(result.ErrorCode)) again.push(item);
        else unsent.add(item.index);
      });
      todo = again;
    }
    for (const item of todo) unsent.add(item.index);
  }
  return { unsent: changes.filter((_, i) => unsent.has(i)), why: reasons.size > 0 ? [...reasons].join('; ') : undefined };
}

/** Entry error codes worth one more try (PutEventsResultEntry's ErrorCode). */
function isPassing(code: string): boolean {
  return code === 'ThrottlingException' || code === 'InternalFailure';
}
