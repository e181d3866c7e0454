import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { builtPackage, run, tempDir } from './support';
import { NEWEST_PINS, packageVersion } from '../support/cdk-version';

// A TypeScript app pins aws-cdk-lib exactly (`cdk init` writes "aws-cdk-lib": "2.x.y"): the
// npm package (dist/js, by `npx projen package:js`) must install into an app at either end of
// the supported range with no peer conflict.
test.each([
  [packageVersion('aws-cdk-lib'), packageVersion('constructs')],
  [NEWEST_PINS['aws-cdk-lib'], NEWEST_PINS.constructs],
])('an app pinned at aws-cdk-lib %s (constructs %s) installs the package: npm resolves it with no peer conflict', async (cdk, constructs) => {
  const app = tempDir('npm-app-');
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'app',
    version: '0.0.0',
    private: true,
    dependencies: { 'aws-cdk-lib': cdk, 'constructs': constructs, 'cdk-workspaces-account-links': `file:${builtPackage('js', /\.tgz$/)}` },
  }));

  // Resolves the whole tree as `npm install` would, and writes only the lock file.
  const result = await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app });

  expect({ code: result.code, stderr: result.stderr.split('\n').filter((line) => /ERR|ERESOLVE|peer/.test(line)) }).toEqual({ code: 0, stderr: [] });
  const lock = JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8'));
  expect(lock.packages['node_modules/aws-cdk-lib'].version).toBe(cdk);
}, 5 * 60_000);
