import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** What a script answers for one request: a JSON body and its status, after an optional delay. */
export interface ScriptedAnswer {
  readonly status?: number;
  readonly body: unknown;
  readonly delayMs?: number;
}

/**
 * Answers one WorkSpaces request itself (an answer), or lets it through to the emulator
 * (undefined), or lets it through and delays what comes back (`{ forwardAfterMs }`).
 */
export type Script = (operation: string, input: Record<string, any>) => ScriptedAnswer | { readonly forwardAfterMs: number } | undefined;

/**
 * A WorkSpaces endpoint that misbehaves on purpose, in front of the emulator: a script
 * decides, request by request, what goes back. For the answers a real endpoint should
 * never give (repeated NextTokens, endless pages, 100 KB ids) and answers that come too
 * late. Listens on loopback only.
 */
export class ScriptedEndpoint {
  public static async start(upstream: string, script: Script): Promise<ScriptedEndpoint> {
    const endpoint = new ScriptedEndpoint(upstream, script);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', () => resolve()));
    return endpoint;
  }

  /** Operations received, in order. */
  public readonly operations: string[] = [];
  private readonly server: Server;

  private constructor(upstream: string, script: Script) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const operation = String(req.headers['x-amz-target'] ?? '').replace(/^WorkspacesService\./, '');
        this.operations.push(operation);
        const answer = script(operation, body.length > 0 ? JSON.parse(body.toString('utf8')) : {});
        if (answer && 'body' in answer) {
          setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(answer.status ?? 200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
          }, answer.delayMs ?? 0);
          return;
        }
        const forward = httpRequest(`${upstream}/`, { method: 'POST', headers: req.headers }, (upstreamRes) => {
          const parts: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => parts.push(c));
          upstreamRes.on('end', () => setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers).end(Buffer.concat(parts));
          }, answer?.forwardAfterMs ?? 0));
        });
        forward.on('error', () => res.destroy());
        forward.end(body);
      });
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
