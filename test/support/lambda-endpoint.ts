import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** An asynchronous Invoke the endpoint accepted. */
export interface CapturedInvoke {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: any;
  /** Access key id from the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
  readonly signedHeaders: string | undefined;
}

/**
 * A local Lambda endpoint (`AWS_ENDPOINT_URL_LAMBDA`) that accepts `Invoke`
 * (POST /2015-03-31/functions/{name}/invocations) with 202 and keeps the request, so that
 * a test can run the invocation itself.
 */
export class LambdaEndpoint {
  public static async start(): Promise<LambdaEndpoint> {
    const endpoint = new LambdaEndpoint();
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', () => resolve()));
    return endpoint;
  }

  public readonly invokes: CapturedInvoke[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ Type: 'User', message: 'not found' }));
          return;
        }
        const authorization = String(req.headers.authorization ?? '');
        this.invokes.push({
          functionName: decodeURIComponent(match[1]),
          invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
          payload: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          accessKeyId: /Credential=([^/,\s]+)\//.exec(authorization)?.[1],
          signedHeaders: /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1],
        });
        res.writeHead(202).end();
      });
    });
  }

  public get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
