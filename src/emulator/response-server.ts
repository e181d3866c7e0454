import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

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

/**
 * Stands in for the pre-signed S3 URL CloudFormation puts in a custom resource event's
 * `ResponseURL`: records each PUT. `failNext(n)` answers the next n PUTs with HTTP 503
 * (they are not recorded). Listens on loopback only.
 */
export class ResponseServer {
  public static async start(): Promise<ResponseServer> {
    const server = new ResponseServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', () => resolve()));
    return server;
  }

  public readonly responses: CapturedResponse[] = [];
  /** PUTs answered with an error. */
  public rejected = 0;
  private failures = 0;
  private readonly server: Server;
  private readonly waiters: Array<() => void> = [];

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.failures > 0) {
          this.failures--;
          this.rejected++;
          res.writeHead(503).end();
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
    });
  }

  /** A pre-signed-looking URL; the query string plays the secret signature. */
  public url(name = 'response'): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${name}?X-Amz-Signature=${SIGNATURE}`;
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

  public failNext(count: number): void {
    this.failures = count;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The part of the response URL that must never reach a log. */
export const SIGNATURE = 'secret-signature-do-not-log';
