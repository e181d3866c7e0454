import type { AccountLink } from '@aws-sdk/client-workspaces';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { linkData } from './attributes';
import { createFunctionClient } from './function-client';
import type { EventResult, Outcome } from './resource-response';
import type { ApiContext } from '../core/account-link-api';
import type { WaitState, WaitWindow } from '../core/wait-for-status';
import type { AccessSettings } from '../src/contract';

/** What handling one event needs besides the event. */
export interface EventContext extends Omit<ApiContext, 'client'> {
  /** When this invocation may read and when it must hand an undecided wait over. */
  readonly window: WaitWindow;
  /** When CloudFormation sent the request: a new wait starts then (ms since the epoch). */
  readonly requestTime: number;
  /** The wait a previous invocation handed over, if any. */
  readonly handedOver?: WaitState;
  /** What that invocation carried on besides the wait, unchecked. */
  readonly handedOverProgress?: unknown;
  /** Set by a Create that may have created something: the physical id its failure must answer. */
  readonly progress: CreateProgress;
}

/** Where a Create stands for the response if it fails: the physical id that lets the rollback's Delete clean up. */
export interface CreateProgress {
  physicalIdOnFailure?: string;
}

export type CreateOrUpdateEvent = CloudFormationCustomResourceCreateEvent | CloudFormationCustomResourceUpdateEvent;

/**
 * What one resource type does on each request. A handler may throw: the caller answers
 * FAILED with the error's description.
 */
export interface ResourceHandler {
  /** Create and Update: the resource's outcome, or a wait to hand over to a new invocation. */
  createOrUpdate(event: CreateOrUpdateEvent, context: EventContext): Promise<EventResult>;
  /**
   * Delete. Only what the resource created has anything to remove; Delete must succeed
   * whenever there is nothing to remove, or the rollback of a failed Create would fail too.
   */
  delete(event: CloudFormationCustomResourceDeleteEvent, context: EventContext): Promise<EventResult>;
}

/** Delete of a resource that creates nothing (a lookup, an answer to an invitation): SUCCESS, no API call. */
export async function deleteNothing(event: CloudFormationCustomResourceDeleteEvent): Promise<Outcome> {
  return { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
}

/** The API context of one event: a fresh client for its account and Region (nothing is shared between events). */
export function apiContext(access: AccessSettings, context: EventContext): ApiContext {
  return { client: createFunctionClient(access, undefined, context.counter), counter: context.counter, signal: context.signal };
}

/**
 * Physical id of a failure: the resource's own on Update and Delete (a failed update must
 * not look like a replacement); on Create, the id that lets the rollback's Delete remove
 * what the Create may have made, else the request id (nothing exists).
 */
export function failurePhysicalId(event: CloudFormationCustomResourceEvent, progress: CreateProgress): string {
  if ('PhysicalResourceId' in event && event.PhysicalResourceId) return event.PhysicalResourceId;
  return progress.physicalIdOnFailure ?? event.RequestId;
}

export function failed(event: CloudFormationCustomResourceEvent, context: EventContext, reason: string, wait?: WaitState): Outcome {
  return { status: 'FAILED', physicalResourceId: failurePhysicalId(event, context.progress), reason, wait };
}

/** What an invitation or acceptance came to: the link, and the physical id that owns it. */
export interface LinkChange {
  readonly link: AccountLink;
  readonly physicalResourceId: string;
  /** Said in the log line, e.g. that an existing invitation was adopted. */
  readonly note?: string;
}

/** An invitation or acceptance answers with the link. */
export function changed({ link, physicalResourceId, note }: LinkChange): Outcome {
  return { status: 'SUCCESS', physicalResourceId, data: linkData(link), note };
}
