import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { lambdaNode, LambdaNodeMajor, lambdaNodeMajor } from './lambda-node';
import { DEFAULT_APPLICATION_LOG_LEVEL, HANDLER_ASSET_DIR } from '../src/account-links-provider/handler-settings';

/**
 * The built handler file the npm package ships (not the TypeScript source). Set
 * `ACCOUNT_LINKS_HANDLER_FILE` to run the tests against another build of it (an earlier
 * commit's, say, to see which tests fail before a fix).
 */
export const BUNDLED_HANDLER = process.env.ACCOUNT_LINKS_HANDLER_FILE ?? path.join(HANDLER_ASSET_DIR, 'index.js');
const RUNTIME = path.join(__dirname, 'lambda-runtime.js');

/** What Lambda sets for the provider's logging configuration (JSON format, its default level). */
export const LAMBDA_LOGGING = { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: DEFAULT_APPLICATION_LOG_LEVEL };

/** One line of Lambda's JSON log format. */
export interface LogRecord {
  readonly timestamp: string;
  readonly level: string;
  readonly requestId: string;
  /** What the handler logged: its object, as the handler passed it. */
  readonly message: any;
}

/** What one invocation of the bundled handler left behind. */
export interface Invocation {
  /** Lines the handler logged (stdout), as Lambda writes them to the log group. */
  readonly logs: string[];
  /** The lines that are JSON log records (all of them, in the JSON log format the provider sets). */
  readonly records: LogRecord[];
  readonly stderr: string;
  /** 0 when the handler returned; 124 when the invocation timed out; 1 when it threw. */
  readonly exitCode: number;
  readonly durationMs: number;
}

export interface InvokeOptions {
  /** Where the SDK sends WorkSpaces calls (`AWS_ENDPOINT_URL_WORKSPACES`). */
  readonly workspacesEndpoint: string;
  /** Time left in the invocation when the handler starts. @default 120000 */
  readonly remainingMs?: number;
  /** More environment variables for the handler. */
  readonly env?: Record<string, string>;
  /** The function's ARN (`context.invokedFunctionArn`). @default the event's ServiceToken */
  readonly functionArn?: string;
  /** Another handler file to run the same way. @default BUNDLED_HANDLER */
  readonly handlerFile?: string;
  /**
   * Run on a virtual clock that starts at `startsAt` and goes `scale` times faster than
   * real time (see lambda-runtime.js). @default - real time
   */
  readonly clock?: { readonly startsAt: number; readonly scale: number };
}

/** What lambda-runtime.js reads on stdin: one invocation. */
export interface RuntimeInput {
  readonly event: unknown;
  readonly remainingMs: number;
  readonly functionArn: string;
  readonly clock?: InvokeOptions['clock'];
}

/**
 * Runs a handler file once in a fresh process of Lambda's Node.js (of `major`: by default
 * LAMBDA_NODE_MAJOR's, else 24) under lambda-runtime.js, with exactly the environment `env`.
 */
export async function runHandlerProcess(
  handlerFile: string, input: RuntimeInput, env: Record<string, string | undefined>, major: LambdaNodeMajor = lambdaNodeMajor(),
): Promise<Invocation> {
  if (!existsSync(handlerFile)) {
    throw new Error(`${handlerFile} is missing: run \`npx projen bundle\` (the test task does)`);
  }
  const started = Date.now();
  const child = spawn(lambdaNode(major), [RUNTIME, handlerFile], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(JSON.stringify(input));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const logs = stdout.split('\n').filter((l) => l !== '');
  return { logs, records: logs.flatMap(logRecord), stderr, exitCode, durationMs: Date.now() - started };
}

/**
 * Runs the bundled handler once in a fresh process, as Lambda would run `index.handler`,
 * with dummy credentials and the SDK pointed at a local endpoint. `durationMs` is the
 * process's wall time: a cold start.
 */
export async function invokeBundledHandler(event: CloudFormationCustomResourceEvent | object, options: InvokeOptions): Promise<Invocation> {
  return runHandlerProcess(options.handlerFile ?? BUNDLED_HANDLER, {
    event,
    remainingMs: options.remainingMs ?? 120_000,
    functionArn: options.functionArn ?? (event as CloudFormationCustomResourceEvent | null)?.ServiceToken ?? 'arn:aws:lambda:eu-west-1:111122223333:function:links-handler',
    clock: options.clock,
  }, {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTESTHANDLER',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_ENDPOINT_URL_WORKSPACES: options.workspacesEndpoint,
    ...LAMBDA_LOGGING,
    ...options.env,
  });
}

function logRecord(line: string): LogRecord[] {
  try {
    const record = JSON.parse(line);
    return typeof record === 'object' && record !== null && 'level' in record && 'message' in record ? [record] : [];
  } catch {
    return [];
  }
}
