import { Sha256 } from '@aws-crypto/sha256-js';
import { partition } from '@aws-sdk/core/client';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { httpRequest } from './http-request';

export interface InvokeSelfOptions {
  /** The function's own ARN (`context.invokedFunctionArn`). */
  readonly functionArn: string;
  readonly payload: unknown;
  /** The credentials the WorkSpaces client resolved: the function's role. */
  readonly credentials: AwsCredentialIdentityProvider;
  readonly timeoutMs: number;
}

/**
 * Invokes the function asynchronously (Lambda `Invoke`, InvocationType `Event`): one
 * SigV4-signed REST call made with the SDK's own signer, so that the bundle does not carry
 * a whole Lambda client (~60 KB) for it. `AWS_ENDPOINT_URL_LAMBDA` overrides the endpoint,
 * as it does for the SDK.
 */
export async function invokeSelf(options: InvokeSelfOptions): Promise<void> {
  const [, partitionId, , region] = options.functionArn.split(':');
  if (!region || !partitionId) {
    throw new Error(`cannot read the Region of function ARN ${JSON.stringify(options.functionArn)}`);
  }
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_LAMBDA ?? `https://lambda.${region}.${partition(region).dnsSuffix}`);
  const path = `/2015-03-31/functions/${encodeURIComponent(options.functionArn)}/invocations`;
  const body = JSON.stringify(options.payload);
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path,
    query: {},
    headers: {
      'host': endpoint.host,
      'content-type': 'application/json',
      'x-amz-invocation-type': 'Event',
    },
    body,
  });
  const url = `${endpoint.protocol}//${endpoint.host}${path}`;
  const response = await httpRequest(url, { method: 'POST', headers: signed.headers, body, timeoutMs: options.timeoutMs });
  // An accepted asynchronous invocation answers 202.
  if (response.statusCode !== 202) {
    throw new Error(`Lambda Invoke answered HTTP ${response.statusCode}: ${response.body.slice(0, 300)}`);
  }
}
