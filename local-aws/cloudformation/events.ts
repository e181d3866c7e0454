import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
  Context,
} from 'aws-lambda';
import { ResourceType } from '../../src/contract';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/links/5b6c7d8e-0000-4000-8000-000000000000';
const SERVICE_TOKEN = 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler';
let requests = 0;

type Properties = Record<string, unknown>;

interface EventOptions {
  readonly responseUrl: string;
  readonly resourceType?: string;
  readonly logicalResourceId?: string;
}

/** A Create event as CloudFormation sends it to a Lambda-backed custom resource. */
export function createEvent(properties: Properties, options: EventOptions): CloudFormationCustomResourceCreateEvent {
  return {
    RequestType: 'Create',
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: options.responseUrl,
    StackId: STACK_ID,
    RequestId: `request-${++requests}`,
    LogicalResourceId: options.logicalResourceId ?? 'Link1A2B3C4D',
    ResourceType: options.resourceType ?? ResourceType.ACCOUNT_LINK,
    ResourceProperties: { ServiceToken: SERVICE_TOKEN, ...properties },
  };
}

export function updateEvent(
  properties: Properties, oldProperties: Properties, physicalResourceId: string, options: EventOptions,
): CloudFormationCustomResourceUpdateEvent {
  return {
    ...createEvent(properties, options),
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    OldResourceProperties: { ServiceToken: SERVICE_TOKEN, ...oldProperties },
  };
}

export function deleteEvent(properties: Properties, physicalResourceId: string, options: EventOptions): CloudFormationCustomResourceDeleteEvent {
  return { ...createEvent(properties, options), RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
}

/** A Lambda context whose invocation has `remainingMs` left when the handler starts. */
export function lambdaContext(remainingMs = 120_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'links-handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: SERVICE_TOKEN,
    memoryLimitInMB: '256',
    awsRequestId: `invocation-${requests}`,
    logGroupName: '/aws/lambda/links-handler',
    logStreamName: '2026/11/24/[$LATEST]0000',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Waits for the start of the next second. A gate's wait starts at the request's signing
 * time, which the ResponseURL gives to the second: a request made just after a whole second
 * leaves the read count of a short wait to its poll interval alone.
 */
export function nextWholeSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
}
