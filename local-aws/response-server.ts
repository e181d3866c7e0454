import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo } from 'node:net';

export interface ResponseServerOptions {
  /**
   * Serve https with this key and certificate (PEM), for handlers that only speak https.
   * @default - plain http
   */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** @default 0 (any free port) */
  readonly port?: number;
}

/** The body of a custom resource response (the fields CloudFormation reads). */
export interface CustomResourceResponseBody {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, any>;
}

/** A response PUT as CloudFormation's pre-signed URL would receive it. */
export interface CapturedResponse {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: CustomResourceResponseBody;
  readonly rawBytes: number;
}

/** How the server mistreats the next PUTs (see `failNext`). */
export type ResponseFault =
  /** HTTP 503: the PUT is not recorded. */
  | 'unavailable'
  /** HTTP 200 headers and half the body, then the connection is reset: not recorded. */
  | 'drop-mid-body'
  /** No answer at all until the client gives up: not recorded. */
  | 'stall';

/**
 * Stands in for the pre-signed S3 URL CloudFormation puts in a custom resource event's
 * `ResponseURL`: records each PUT. `failNext(n, fault)` mistreats the next n PUTs (they are
 * not recorded). Listens on loopback only.
 */
export class ResponseServer {
  public static async start(options: ResponseServerOptions = {}): Promise<ResponseServer> {
    const server = new ResponseServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  public readonly responses: CapturedResponse[] = [];
  /** PUTs answered with an error. */
  public rejected = 0;
  private readonly failures: ResponseFault[] = [];
  private readonly server: Server;
  private readonly waiters: Array<() => void> = [];

  private readonly scheme: 'http' | 'https';

  private constructor(options: ResponseServerOptions) {
    this.scheme = options.tls ? 'https' : 'http';
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.failures.length > 0) {
          const fault = this.failures.shift();
          this.rejected++;
          if (fault === 'unavailable') {
            res.writeHead(503).end();
          } else if (fault === 'drop-mid-body') {
            res.writeHead(200, { 'content-length': 100 });
            res.write('x'.repeat(50), () => res.destroy());
          }
          return;
        }
        const raw = Buffer.concat(chunks);
        if (req.method !== 'PUT') {
          res.writeHead(405).end();
          return;
        }
        this.responses.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body: JSON.parse(raw.toString('utf8')),
          rawBytes: raw.length,
        });
        res.writeHead(200).end();
        this.waiters.splice(0).forEach((wake) => wake());
      });
    };
    this.server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  }

  /**
   * A pre-signed-looking URL, signed (as CloudFormation's are) at `signedAt` (ms since the
   * epoch, default now): the query string plays the secret signature.
   */
  public url(name = 'response', signedAt = Date.now()): string {
    const { port } = this.server.address() as AddressInfo;
    const host = this.scheme === 'https' && port === 443 ? '127.0.0.1' : `127.0.0.1:${port}`;
    const date = new Date(signedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    return `${this.scheme}://${host}/${name}?X-Amz-Date=${date}&X-Amz-Expires=7200&X-Amz-Signature=${SIGNATURE}`;
  }

  /**
   * The response to request `requestId`, once it arrives, as CloudFormation waits for it;
   * undefined if none arrives within `timeoutMs`.
   */
  public async waitFor(requestId: string, timeoutMs: number): Promise<CapturedResponse | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.responses.find((r) => r.body.RequestId === requestId);
      const left = deadline - Date.now();
      if (found || left <= 0) {
        return found;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Mistreats the next `count` PUTs with `fault`. */
  public failNext(count: number, fault: ResponseFault = 'unavailable'): void {
    this.failures.push(...Array<ResponseFault>(count).fill(fault));
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The part of the response URL that must never reach a log. */
export const SIGNATURE = 'secret-signature-do-not-log';
