import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The bundled handler (esbuild output of `lambda/`, SDK included), shipped in the npm
 * package: a consuming app needs neither esbuild nor Docker to synthesize.
 */
export const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'lambda', 'index');

/** Timeout of the handler function. A plain lookup answers in seconds; this bounds a slow API. */
export const HANDLER_TIMEOUT = Duration.minutes(2);

/**
 * How long CloudFormation waits for an answer before it fails the resource by itself
 * (instead of its one-hour default), and the shortest ServiceTimeout of any resource the
 * function serves. The handler answers within HANDLER_TIMEOUT; the rest covers Lambda's
 * queueing of the event.
 */
export const DEFAULT_SERVICE_TIMEOUT = Duration.minutes(5);

/**
 * The oldest event Lambda still delivers to the function: no older than the shortest time
 * any of its resources waits for an answer (DEFAULT_SERVICE_TIMEOUT). Lambda keeps a
 * throttled asynchronous event up to 6 hours by default, so without this bound a Create
 * or an Accept (which cannot be undone) could run after CloudFormation has given up on the
 * resource and rolled the stack back: an invitation nobody owns.
 */
export const MAX_EVENT_AGE = DEFAULT_SERVICE_TIMEOUT;

/**
 * The oldest Node.js major version the handler runs on (its bundle's target, and the oldest
 * Lambda runtime its tests run it on): the oldest a `runtime` may name.
 */
export const MIN_NODE_MAJOR_VERSION = 22;

/** The major version of a Node.js runtime (`nodejs24.x`: 24); undefined for any other. */
export function nodeMajorVersion(runtime: lambda.Runtime): number | undefined {
  const major = /^nodejs(\d+)\.x$/.exec(String(runtime?.name))?.[1];
  return runtime?.family === lambda.RuntimeFamily.NODEJS && major ? Number(major) : undefined;
}

/**
 * The handler's default runtime: the newest Node.js runtime the app's aws-cdk-lib knows (its
 * `Runtime.ALL`, the list cdk-nag's AwsSolutions-L1 takes the latest from), so the function
 * is on the latest runtime at every version of the range: nodejs22.x with aws-cdk-lib
 * 2.176.0, nodejs26.x with 2.278.0. (aws-cdk-lib's own providers take a Region's fact,
 * which lags its newest runtime and makes a mapping in a stack of no Region.)
 */
export function defaultRuntime(): lambda.Runtime {
  const known = lambda.Runtime.ALL.filter((runtime) => !runtime.isVariable && nodeMajorVersion(runtime) !== undefined);
  return known.reduce((newest, runtime) => (nodeMajorVersion(runtime)! > nodeMajorVersion(newest)! ? runtime : newest));
}

/** More memory buys more CPU, which shortens the SDK's cold start. */
export const DEFAULT_MEMORY_SIZE = 256;

/** How long the log group of the library's own keeps the handler's lines. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * The handler's log lines are one JSON object per event (lambda/log.ts), at INFO, and at
 * ERROR when the event failed: Lambda's JSON log format keeps them objects, and a log
 * level of WARN still shows every failure.
 */
export const DEFAULT_APPLICATION_LOG_LEVEL = lambda.ApplicationLogLevel.INFO;
