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

/** The runtime the handler is built and tested for (the bundle's target is older: any later Node.js runs it). */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The oldest Node.js major version a `runtime` may name. */
export const MIN_NODE_MAJOR_VERSION = 24;

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
