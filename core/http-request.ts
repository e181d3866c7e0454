import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpRequestOptions {
  readonly method: string;
  readonly headers: Record<string, string | number>;
  readonly body: string;
  /** One deadline for the whole exchange: connect, send, headers and body. */
  readonly timeoutMs: number;
  /** Abandons the request (destroying its connection): it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly statusCode: number;
  /** Header names in lower case; a repeated header's values joined by commas. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A request that got no complete answer. `connected` says whether the connection was
 * established: if it was not, the server cannot have received the request; if it was, the
 * server may have acted on it although no answer (or only part of one) came back.
 */
export class HttpRequestError extends Error {
  constructor(message: string, public readonly connected: boolean) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/**
 * One HTTP request, transport chosen by the URL's scheme: AWS endpoints and pre-signed
 * URLs are https; local test endpoints are http on loopback. Settles exactly once: with
 * the whole answer, or with an HttpRequestError when the deadline passes, the connection
 * fails, or it closes before the body ends (a reset after the headers is no answer).
 */
export function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let connected = false;
    let settled = false;
    const onAbort = () => settle(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)), true);
    const settle = (outcome: HttpResponse | Error, aborted = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Not `instanceof Error`: node's own errors come from another realm where the code runs in a sandbox (jest's).
      if (!isResponse(outcome)) {
        request.destroy();
        reject(aborted || outcome instanceof HttpRequestError ? outcome : new HttpRequestError(outcome.message, connected));
      } else {
        resolve(outcome);
      }
    };
    const request = transport.request(target, {
      method: options.method,
      headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
      // A fresh connection each time: a pooled socket the server has closed would fail the request.
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle({
        statusCode: res.statusCode ?? 0,
        headers: Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, [value ?? ''].flat().join(', ')])),
        body: Buffer.concat(chunks).toString('utf8'),
      }));
      // 'error' or 'close' without 'end': the connection dropped mid-body.
      const dropped = () => settle(new HttpRequestError(`the connection closed after HTTP ${res.statusCode} before the body ended`, true));
      res.on('error', dropped);
      res.on('close', dropped);
    });
    const timer = setTimeout(() => settle(new HttpRequestError(
      connected ? `no complete answer within ${options.timeoutMs} ms` : `could not connect within ${options.timeoutMs} ms`, connected)),
    options.timeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) {
        connected = true;
      } else {
        socket.once(target.protocol === 'http:' ? 'connect' : 'secureConnect', () => (connected = true));
      }
    });
    request.on('error', (error) => settle(error));
    signal?.addEventListener('abort', onAbort, { once: true });
    request.end(options.body);
  });
}

function isResponse(outcome: HttpResponse | Error): outcome is HttpResponse {
  return typeof (outcome as HttpResponse).statusCode === 'number' && typeof (outcome as HttpResponse).body === 'string';
}
