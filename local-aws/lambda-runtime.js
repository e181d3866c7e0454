// A minimal stand-in for the Lambda Node.js runtime: loads a handler file, reads one
// invocation ({ event, remainingMs, functionArn, clock }) from stdin, runs
// `handler(event, context)` and exits. The handler's log lines reach stdout as they would
// reach CloudWatch Logs.
// `clock: { startsAt, scale }` runs the invocation on a virtual clock that starts at
// `startsAt` (ms since the epoch) and goes `scale` times faster than real time: Date.now and
// setTimeout follow it, network I/O does not. It lets a test drive waits of many minutes.
// Usage: node lambda-runtime.js <handler file>
'use strict';

const util = require('node:util');

const handlerFile = process.argv[2];
const requestId = `invocation-${process.pid}`;

// Lambda's runtime routes the console to its log: `AWS_LAMBDA_LOG_FORMAT` JSON or text, and
// `AWS_LAMBDA_LOG_LEVEL` (JSON only) drops the methods below it. In JSON, each call is one
// line `{ timestamp, level, requestId, message }`, whose message is a lone argument as it is
// (an object stays an object) and several arguments formatted into a string.
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const METHODS = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', log: 'INFO', warn: 'WARN', error: 'ERROR' };
const json = String(process.env.AWS_LAMBDA_LOG_FORMAT).toUpperCase() === 'JSON';
const lowest = json ? Math.max(0, LEVELS.indexOf(String(process.env.AWS_LAMBDA_LOG_LEVEL).toUpperCase())) : 0;
for (const [method, level] of Object.entries(METHODS)) {
  console[method] = LEVELS.indexOf(level) < lowest ? () => {} : (...args) => {
    const timestamp = new Date().toISOString();
    let line;
    if (json) {
      const message = args.length === 1 ? args[0] : util.format(...args);
      try {
        line = JSON.stringify({ timestamp, level, requestId, message });
      } catch {
        line = JSON.stringify({ timestamp, level, requestId, message: util.format(message) });
      }
    } else {
      line = `${timestamp}\t${requestId}\t${level}\t${util.format(...args)}`;
    }
    process.stdout.write(`${line.replace(/\n/g, '\r')}\n`);
  };
}
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const { event, remainingMs, functionArn, clock } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (clock) {
    const realNow = Date.now.bind(Date);
    const realSetTimeout = global.setTimeout;
    const realStart = realNow();
    Date.now = () => Math.round(clock.startsAt + (realNow() - realStart) * clock.scale);
    global.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, Math.max(0, (Number(ms) || 0) / clock.scale), ...args);
  }
  // As in Lambda, loading the handler (the init phase) is not part of the invocation's time.
  // As Lambda's runtime does: import() for an ES module (.mjs), require() for CommonJS.
  const { handler } = handlerFile.endsWith('.mjs') ? await import(require('node:url').pathToFileURL(handlerFile).href) : require(handlerFile);
  const deadline = Date.now() + remainingMs;
  const context = {
    functionName: 'account-links-handler',
    invokedFunctionArn: functionArn,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // As Lambda does, the invocation ends at its deadline whatever the handler is doing.
  const timeout = setTimeout(() => {
    process.stderr.write(`Task timed out after ${remainingMs} ms\n`);
    process.exit(124);
  }, remainingMs);
  try {
    await handler(event, context);
    clearTimeout(timeout);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`handler threw: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  }
});
