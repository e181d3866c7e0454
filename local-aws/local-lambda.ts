import { LAMBDA_LOGGING, LogRecord, runHandlerProcess } from './bundled-handler';
import { LambdaInvokeEndpoint } from './lambda-invoke-endpoint';

/** A function of the template, runnable here: its bundled handler file from cdk.out. */
export interface LocalFunction {
  readonly arn: string;
  /** `<asset dir>/index.mjs` (or index.js), exporting `handler` (the template's `index.handler`). */
  readonly handlerFile: string;
  readonly timeoutMs: number;
  /** The function's own environment variables (the template's Environment.Variables), over this process's. */
  readonly environment?: Record<string, string>;
}

/**
 * Runs functions' bundled handlers asynchronously, as Lambda runs a custom resource
 * provider: each invocation in a fresh process of Lambda's Node.js (lambdaNode()), with
 * this process's environment as it is when the invocation starts (its credentials, its
 * endpoints), the function's own variables over it, and Lambda's JSON log format; nobody
 * awaits the handler; CloudFormation waits for the response PUT. Also answers Lambda
 * `Invoke` on loopback (`AWS_ENDPOINT_URL_LAMBDA`), so that a handler can hand a wait over
 * to a new invocation of itself.
 */
export class LocalLambda {
  public static async start(): Promise<LocalLambda> {
    const lambda = new LocalLambda();
    lambda.endpoint = await LambdaInvokeEndpoint.start(({ functionName, invocationType, payload }) => {
      if (invocationType !== 'Event' || !lambda.functions.has(functionName)) return false;
      for (let copy = 0; copy < lambda.copiesPerInvoke; copy++) lambda.invoke(functionName, payload);
      return true;
    });
    return lambda;
  }

  /** What the handlers logged, one entry a line. */
  public readonly logs: string[] = [];
  /** Those lines that are JSON log records. */
  public readonly records: LogRecord[] = [];
  /** Invocations so far. */
  public invocations = 0;
  /** How many invocations each accepted Invoke starts: 2 is Lambda delivering an asynchronous event twice. */
  public copiesPerInvoke = 1;
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
    const env = { ...process.env, ...fn.environment, ...LAMBDA_LOGGING };
    const run = (async () => {
      const invocation = await runHandlerProcess(fn.handlerFile, { event: payload, remainingMs: fn.timeoutMs, functionArn: arn }, env);
      this.logs.push(...invocation.logs);
      this.records.push(...invocation.records);
      if (invocation.exitCode !== 0) this.logs.push(`invocation ended with exit status ${invocation.exitCode}: ${invocation.stderr.trim()}`);
      else if (invocation.stderr !== '') this.logs.push(`stderr: ${invocation.stderr.trim()}`);
    })().catch((error) => {
      this.logs.push(`invocation failed: ${error instanceof Error ? error.message : String(error)}`);
    });
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
