import { pathToFileURL } from 'node:url';
import { LambdaInvokeEndpoint } from './lambda-invoke-endpoint';

/** A function of the template, runnable here: its bundled handler file from cdk.out. */
export interface LocalFunction {
  readonly arn: string;
  /** `<asset dir>/index.mjs` (or index.js), exporting `handler` (the template's `index.handler`). */
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
    lambda.endpoint = await LambdaInvokeEndpoint.start(({ functionName, invocationType, payload }) => {
      if (invocationType !== 'Event' || !lambda.functions.has(functionName)) return false;
      lambda.invoke(functionName, payload);
      return true;
    });
    return lambda;
  }

  /** What the handlers logged, one entry a line. */
  public readonly logs: string[] = [];
  /** Invocations so far. */
  public invocations = 0;
  /** Where handlers invoke functions (`AWS_ENDPOINT_URL_LAMBDA`). */
  public endpoint!: LambdaInvokeEndpoint;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly running = new Set<Promise<void>>();

  private constructor() {}

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
        // As Lambda's runtime does: import() for an ES module (.mjs), require() for CommonJS.
        const { handler } = fn.handlerFile.endsWith('.mjs')
          ? await import(pathToFileURL(fn.handlerFile).href)
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          : require(fn.handlerFile);
        await handler(payload, context);
      } catch (error) {
        this.logs.push(`handler threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Waits for the running invocations to end (a handler logs after it answers). */
  public async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Waits for running invocations, then stops the endpoint. */
  public async close(): Promise<void> {
    await this.idle();
    await this.endpoint.close();
  }
}
