import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpRequestOptions {
  readonly method: string;
  readonly headers: Record<string, string | number>;
  readonly body: string;
  /** Bound on the whole request, not only on an idle socket. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: string;
}

/**
 * One HTTP request, transport chosen by the URL's scheme: AWS endpoints and pre-signed
 * URLs are https; local test endpoints are http on loopback.
 */
export function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: options.method,
      headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(options.body);
  });
}
