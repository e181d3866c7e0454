import type { SignatureV4 } from '@smithy/signature-v4';
import { httpRequest, HttpResponse } from './http-request';

export interface SignedPostOptions {
  /** Where to POST: the endpoint and the path (query strings are not signed here). */
  readonly url: URL;
  /** The request's own headers; `host` is added. */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * One POST to an AWS API, SigV4-signed with `signer` (the SDK's signer, set up for the
 * service and Region): what the WorkSpaces client and the hand-over's Lambda Invoke send.
 * Settles as httpRequest does.
 */
export async function signedPost(signer: SignatureV4, options: SignedPostOptions): Promise<HttpResponse> {
  const { url, body } = options;
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers: { host: url.host, ...options.headers },
    body,
  });
  return httpRequest(url.href, { method: 'POST', headers: signed.headers, body, timeoutMs: options.timeoutMs, signal: options.signal });
}
