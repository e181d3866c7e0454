import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** The operation whose answers get lost by default: the one call a resource cannot take back. */
const LOSSY_TARGET = 'WorkspacesService.CreateAccountLinkInvitation';

/**
 * A WorkSpaces endpoint in front of another (the emulator, `upstream()`) that passes every
 * request on and, while `lose` is above 0, loses the answer to a CreateAccountLinkInvitation
 * after the service carried it out: the connection closes with no answer, as a timeout or
 * a reset leaves a caller that cannot tell whether its invitation exists. Loopback only.
 */
export class LossyWorkSpaces {
  /** `lossyTarget`: the `X-Amz-Target` whose answers get lost (another service's operation, DynamoDB's PutItem, say). */
  public static async start(upstream: () => string, lossyTarget = LOSSY_TARGET): Promise<LossyWorkSpaces> {
    const proxy = new LossyWorkSpaces(upstream, lossyTarget);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  /** How many answers to lose still. */
  public lose = 0;
  /** Answers lost so far. */
  public lost = 0;
  private readonly server: Server;

  private constructor(upstream: () => string, lossyTarget: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const forward = request(new URL(req.url ?? '/', upstream()), { method: req.method, headers: req.headers, agent: false }, (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            if (this.lose > 0 && req.headers['x-amz-target'] === lossyTarget) {
              this.lose--;
              this.lost++;
              res.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
          });
        });
        forward.on('error', () => res.destroy());
        forward.end(Buffer.concat(chunks));
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
