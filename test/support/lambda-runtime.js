// A minimal stand-in for the Lambda Node.js runtime: loads a handler file, reads one
// invocation ({ event, remainingMs, functionArn }) from stdin, runs `handler(event, context)`
// and exits. The handler's log lines reach stdout as they would reach CloudWatch Logs.
// Usage: node lambda-runtime.js <handler file>
'use strict';

const handlerFile = process.argv[2];
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const { event, remainingMs, functionArn } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const deadline = Date.now() + remainingMs;
  const context = {
    functionName: 'account-links-handler',
    invokedFunctionArn: functionArn,
    awsRequestId: `invocation-${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // As Lambda does, the invocation ends at its deadline whatever the handler is doing.
  const timeout = setTimeout(() => {
    console.error(`Task timed out after ${remainingMs} ms`);
    process.exit(124);
  }, remainingMs);
  try {
    await require(handlerFile).handler(event, context);
    clearTimeout(timeout);
    process.exit(0);
  } catch (error) {
    console.error(`handler threw: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  }
});
