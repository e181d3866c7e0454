import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A function of the template, runnable here: its bundled handler file from cdk.out. */
export interface LocalFunction {
  readonly arn: string;
  /** `<asset dir>/index.js`, exporting `handler` (the template's `index.handler`). */
  readonly handlerFile: string;
  readonly timeoutMs: number;
}

/**
 * Runs functions' bundled handlers in this process, asynchronously, as Lambda runs a
 * custom resource provider: nobody awaits the handler; CloudFormation waits for the
 * response PUT. Also answers Lambda `Invoke` on loopback (`AWS_ENDPOINT_URL_LAMBDA`), so
 * that a handler can hand a wait over to a new invocation of itself.
 */
export class LocalLambda {
  public static async start(): Promise<LocalLambda> {
    const lambda = new LocalLambda();
    await new Promise<void>((resolve) => lambda.server.listen(0, '127.0.0.1', () => resolve()));
    return lambda;
  }

  /** What the handlers logged, one entry a line. */
  public readonly logs: string[] = [];
  /** Invocations so far. */
  public invocations = 0;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly server: Server;
  private readonly running = new Set<Promise<void>>();

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? '');
        const fn = match && this.functions.get(decodeURIComponent(match[1]));
        if (req.method !== 'POST' || !fn || req.headers['x-amz-invocation-type'] !== 'Event') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"Type":"User","message":"Function not found"}');
          return;
        }
        this.invoke(fn.arn, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(202).end();
      });
    });
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public register(fn: LocalFunction): void {
    this.functions.set(fn.arn, fn);
  }

  /** Starts an asynchronous invocation (InvocationType Event). */
  public invoke(arn: string, payload: unknown): void {
    const fn = this.functions.get(arn);
    if (!fn) {
      throw new Error(`no function ${arn}`);
    }
    this.invocations++;
    const deadline = Date.now() + fn.timeoutMs;
    const context = {
      functionName: arn.split(':').pop(),
      invokedFunctionArn: arn,
      awsRequestId: `local-${this.invocations}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const run = (async () => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        await require(fn.handlerFile).handler(payload, context);
      } catch (error) {
        this.logs.push(`handler threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Waits for running invocations, then stops the endpoint. */
  public async close(): Promise<void> {
    await Promise.all([...this.running]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
