import type { SignatureV4 } from '@smithy/signature-v4';
import { httpRequest, HttpResponse } from './http-request';

export interface SignedPostOptions {
  /** Where to POST: the endpoint, its path and query string. */
  readonly url: URL;
  /** The request's own headers; `host` is added. */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The time to sign with (a clock corrected for the endpoint's): by default, now. */
  readonly signingDate?: Date;
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
    // An endpoint override may carry a query string: signed, as it is sent.
    query: queryOf(url),
    headers: { host: url.host, ...options.headers },
    body,
  }, { signingDate: options.signingDate });
  return httpRequest(url.href, { method: 'POST', headers: signed.headers, body, timeoutMs: options.timeoutMs, signal: options.signal });
}

/** A URL's query parameters as the signer takes them (a repeated name: its values in order). */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [seen, value].flat();
  }
  return query;
}
