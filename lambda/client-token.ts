import { createHash } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The longest ClientToken the API takes. */
const MAX_CLIENT_TOKEN_LENGTH = 64;

/**
 * An idempotency token for one request: every delivery of the same CloudFormation request
 * (Lambda may deliver it twice) sends the same token, so the service carries it out at
 * most once; another request (an Update, a new stack) gets another token.
 */
export function clientToken(event: Pick<CloudFormationCustomResourceEvent, 'StackId' | 'LogicalResourceId'>, ...input: string[]): string {
  return createHash('sha256').update([event.StackId, event.LogicalResourceId, ...input].join('\n')).digest('hex')
    .slice(0, MAX_CLIENT_TOKEN_LENGTH);
}
