/**
 * `npm run demo`: synthesizes examples/ with the CDK CLI, then deploys it here, offline:
 * a WorkSpaces account-links emulator seeded from examples/links.json answers the bundled
 * handler (run from cdk.out) as CloudFormation would drive it, the templates' DynamoDB
 * tables (the providers' ledgers) live on a local DynamoDB, the outputs are printed;
 * then, between deployments, an account joins the business unit and the Organization
 * stack's reconcile schedule runs, its next run brought forward (examples/demo/between-deployments.ts);
 * then the stacks are destroyed again. Progress goes to stderr, results to stdout.
 *
 * Options: --links FILE (seed other links), --json (results as JSON).
 * Exit status: 0 when every stack behaved as examples/demo/expectations.ts expects.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { BetweenDeployments, renderBetweenDeployments, runBetweenDeployments } from './between-deployments';
import { BETWEEN_DEPLOYMENTS, betweenDeploymentsDifferences, differences } from './expectations';
import { readAssembly } from '../../local-aws/cloudformation/cloud-assembly';
import { accessKeyOf, ACCOUNT, isCustomResource, LocalCloudFormation, REGION, StackResult } from '../../local-aws/cloudformation/local-cloudformation';
import { LocalLambda } from '../../local-aws/local-lambda';
import { ResponseServer } from '../../local-aws/response-server';
import { StsEndpoint } from '../../local-aws/sts-endpoint';
import { READ_NONCE_CONTEXT_KEY } from '../../src/contract';
import { AccountLinksEmulator } from '../../src/emulator/emulator';
import { LedgerServer } from '../../src/emulator/ledger';
import { readEmulatorFile } from '../../src/emulator/links-file';

const EXAMPLES = path.join(__dirname, '..');
const CDK_OUT = path.join(EXAMPLES, 'cdk.out');

interface Options {
  readonly links: string;
  readonly json: boolean;
}

function parseArgs(argv: string[]): Options {
  let links = path.join(EXAMPLES, 'links.json');
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--links' && argv[i + 1]) links = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run demo -- [--links FILE] [--json]`);
  }
  return { links, json };
}

const progress = (line: string) => process.stderr.write(`demo: ${line}\n`);

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();

  progress('synthesizing examples/ with the CDK CLI');
  const cdk = path.join(EXAMPLES, '..', 'node_modules', '.bin', 'cdk');
  try {
    // The CLI's own chatter stays out of the way unless it fails.
    execFileSync(cdk, ['synth', '--quiet', '--output', CDK_OUT, '-c', `${READ_NONCE_CONTEXT_KEY}=demo`], {
      cwd: EXAMPLES, stdio: 'pipe', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    });
  } catch (error) {
    process.stderr.write(String((error as { stderr?: Buffer }).stderr ?? ''));
    throw new Error('cdk synth failed');
  }
  const synthesized = readAssembly(CDK_OUT);
  progress(`synthesized ${synthesized.length} stacks in ${Date.now() - started} ms`);
  // Only stacks with custom resources have anything to run here: the pipeline stack's
  // CodePipeline and CodeBuild resources need AWS (its check step is the check command,
  // which test/cli runs against the emulator).
  const stacks = synthesized.filter((stack) => Object.values(stack.template.Resources).some(isCustomResource));
  for (const skipped of synthesized.filter((stack) => !stacks.includes(stack))) {
    progress(`${skipped.stackName}: synthesized only (no custom resources to deploy locally)`);
  }

  // Each account's handlers sign with their own key, so the emulator answers as that account;
  // so do the roles assumed in the organization's accounts (STS answers each role with its account's key).
  const { links, organization } = readEmulatorFile(options.links);
  const members = organization?.OrganizationalUnits.flatMap((unit) => unit.Accounts ?? []) ?? [];
  // The account that joins the unit between deployments is one of the organization's already: the emulator answers as it.
  const accounts = [...new Set([ACCOUNT, ...stacks.map((s) => s.account ?? ACCOUNT), ...members, BETWEEN_DEPLOYMENTS.joiner])];
  const emulator = await AccountLinksEmulator.start({
    links,
    organization,
    accounts: Object.fromEntries(accounts.map((account) => [accessKeyOf(account), account])),
  });
  const sts = await StsEndpoint.start((roleArn) => accessKeyOf(roleArn.split(':')[4]));
  const responses = await ResponseServer.start();
  const lambda = await LocalLambda.start();
  // The tables the templates declare are created on it as each stack deploys; the functions find it at AWS_ENDPOINT_URL_DYNAMODB.
  const dynamodb = await LedgerServer.start({ tableName: false });
  progress(`WorkSpaces and Organizations emulator on ${emulator.endpoint} with ${path.relative(process.cwd(), options.links)}: `
    + `${links.length} links, ${members.length} accounts in ${organization?.OrganizationalUnits.length ?? 0} organizational units; DynamoDB on ${dynamodb.endpoint}`);

  // The bundled handler runs in processes of Lambda's Node.js that start with this
  // environment: its SDK points at the emulator, with dummy credentials.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_WORKSPACES: emulator.endpoint,
    AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.endpoint,
    // The Account Link Changed events reach the emulator's EventBridge.
    AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.endpoint,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint.url,
    AWS_REGION: REGION,
    AWS_SECRET_ACCESS_KEY: 'local-demo',
  });

  const cloudformation = new LocalCloudFormation(CDK_OUT, lambda, responses, progress, dynamodb);
  const results: StackResult[] = [];
  let linksByStatus: Record<string, number> = {};
  let between: BetweenDeployments | undefined;
  try {
    for (const stack of stacks) {
      results.push(await cloudformation.deploy(stack));
    }
    linksByStatus = statusCounts(emulator);
    if (results.some((r) => r.stackName === BETWEEN_DEPLOYMENTS.stackName && r.status === 'CREATE_COMPLETE')) {
      between = await runBetweenDeployments(emulator, lambda, cloudformation, progress);
    }
    for (const result of [...results].reverse()) {
      if (result.status === 'CREATE_COMPLETE') {
        progress(`destroying ${result.stackName}`);
        await cloudformation.destroy(result.stackName);
      }
    }
  } finally {
    await lambda.close();
    await responses.close();
    await emulator.close();
    await sts.close();
    await dynamodb.close();
  }

  const checks = results.map((r) => ({ stackName: r.stackName, differences: differences(r.stackName, r) }));
  const betweenCheck = between ? betweenDeploymentsDifferences(between) : [`${BETWEEN_DEPLOYMENTS.stackName} was not deployed: nothing ran between deployments`];
  const asExpected = checks.every((c) => c.differences.length === 0) && betweenCheck.length === 0;
  const summary = {
    asExpected,
    stacks: results,
    checks,
    linksByStatus,
    betweenDeployments: between,
    betweenDeploymentsDifferences: betweenCheck,
    handlerInvocations: lambda.invocations,
    workspacesApiCalls: emulator.requests.length,
    wallTimeMs: Date.now() - started,
  };
  if (options.json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  } else {
    process.stdout.write(render(results) + '\n');
    for (const check of checks) {
      const verdict = check.differences.length === 0 ? 'as expected' : `NOT as expected: ${check.differences.join('; ')}`;
      process.stdout.write(`${check.stackName}: ${verdict}\n`);
    }
    process.stdout.write(`account links by status once every stack was deployed: ${Object.entries(linksByStatus).map(([s, n]) => `${s} ${n}`).join(', ')}\n`);
    if (between) process.stdout.write(`${renderBetweenDeployments(between)}\n`);
    process.stdout.write(`between deployments: ${betweenCheck.length === 0 ? 'as expected' : `NOT as expected: ${betweenCheck.join('; ')}`}\n`);
    process.stdout.write(`${summary.handlerInvocations} handler invocations, ${summary.workspacesApiCalls} WorkSpaces API calls, ${summary.wallTimeMs} ms\n`);
  }
  return asExpected ? 0 : 1;
}

/** How many links the emulator holds in each status (as the source account and its targets see them). */
function statusCounts(emulator: AccountLinksEmulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const link of emulator.snapshot()) counts[link.AccountLinkStatus] = (counts[link.AccountLinkStatus] ?? 0) + 1;
  return counts;
}

/** Outputs (or the failure) of each stack as a table. */
function render(results: StackResult[]): string {
  const rows: string[][] = [['STACK', 'STATUS', 'OUTPUT', 'VALUE']];
  for (const result of results) {
    if (result.status !== 'CREATE_COMPLETE') {
      rows.push([result.stackName, result.status, 'reason', result.reason ?? '']);
      continue;
    }
    const outputs = Object.entries(result.outputs);
    outputs.forEach(([name, value], i) => rows.push([i === 0 ? result.stackName : '', i === 0 ? result.status : '', name, value]));
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (c === 3 ? 0 : r[c].length))));
  return rows.map((r) => r.map((cell, c) => (c === 3 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
