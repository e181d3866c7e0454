import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The version of a package as this test run resolves it (test/newest maps some to its own). */
export function packageVersion(name: string): string {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/** The versions test/newest pins (its package.json): the newest end of the supported range. */
export const NEWEST_PINS: Record<string, string> = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'newest', 'package.json'), 'utf8'),
).devDependencies;

/**
 * The aws-cdk-lib the tests run on: the floor of the supported range (the build's
 * devDependency) or the newest (test/newest, `npx projen test:newest`).
 */
export const CDK_VERSION = packageVersion('aws-cdk-lib');

/**
 * The newest Node.js runtime each end's aws-cdk-lib knows: the provider's default runtime
 * there, the one cdk-nag's AwsSolutions-L1 asks for.
 */
export const NEWEST_NODE_RUNTIME: string = ({ '2.176.0': 'nodejs22.x', '2.278.0': 'nodejs26.x' } as Record<string, string>)[CDK_VERSION]
  ?? (() => {
    throw new Error(`aws-cdk-lib ${CDK_VERSION}: which Node.js runtime is its newest? Add it to test/support/cdk-version.ts`);
  })();
