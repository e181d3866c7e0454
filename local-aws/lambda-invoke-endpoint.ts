import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** An Invoke request the endpoint accepted. */
export interface InvokeRequest {
  /** The FunctionName of the path: a name or an ARN. */
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
  /** Access key id from the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
}

/** How the endpoint answers one Invoke. */
export interface InvokeAnswer {
  /** @default 202 */
  readonly status?: number;
  /** Wait this long before answering. @default 0 */
  readonly delayMs?: number;
}

/**
 * A local Lambda endpoint (`AWS_ENDPOINT_URL_LAMBDA`) for asynchronous `Invoke`
 * (POST /2015-03-31/functions/{FunctionName}/invocations, InvocationType Event): answers 202
 * and hands each request to `onInvoke`, which may run it or keep it. Listens on loopback.
 * `onInvoke` returning false answers 404, as Lambda does for an unknown function; returning
 * an InvokeAnswer answers with that status, after that delay (an accepted invocation whose
 * 202 comes too late; a throttled one, answered 429 TooManyRequestsException as Lambda does).
 */
export class LambdaInvokeEndpoint {
  public static async start(onInvoke: (request: InvokeRequest) => boolean | void | InvokeAnswer): Promise<LambdaInvokeEndpoint> {
    const endpoint = new LambdaInvokeEndpoint(onInvoke);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', () => resolve()));
    return endpoint;
  }

  private readonly server: Server;

  private constructor(onInvoke: (request: InvokeRequest) => boolean | void | InvokeAnswer) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
        const notFound = () => res.writeHead(404, { 'content-type': 'application/json' })
          .end('{"Type":"User","message":"Function not found"}');
        if (req.method !== 'POST' || !match) return notFound();
        const accepted = onInvoke({
          functionName: decodeURIComponent(match[1]),
          invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
          payload: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          accessKeyId: /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
        });
        if (accepted === false) return notFound();
        const { status = 202, delayMs = 0 } = typeof accepted === 'object' ? accepted : {};
        return void setTimeout(() => {
          if (res.destroyed) return;
          if (status === 429) {
            // As Lambda throttles an Invoke: its error type in a header, the reason in the body.
            res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '1' })
              .end('{"Type":"User","message":"Rate Exceeded.","Reason":"CallerRateLimitExceeded"}');
            return;
          }
          res.writeHead(status, { 'content-type': 'application/json' }).end(status === 202 ? '' : `{"Type":"Service","message":"HTTP ${status}"}`);
        }, delayMs);
      });
    });
  }

  /** Base URL, e.g. `http://127.0.0.1:4599`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
