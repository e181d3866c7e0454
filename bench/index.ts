/**
 * `npm run bench`: our constructs against aws-cdk-lib's AwsCustomResource making the same
 * GetAccountLink / ListAccountLinks calls, side by side in one run. Prints a table (or JSON
 * with --json); --readme also writes it on docs/performance.md and draws its chart there
 * (performance-page.ts), so the figures there are always a run's own; --quick runs tiny
 * counts (the smoke test's mode).
 * Figures depend on the machine: the table says which one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { customResourceOf, handlerFileOf, linkId, listStack, lookupStack, Side, synthesize, Synthesized } from './apps';
import { PERFORMANCE_PAGE, writePerformancePage } from './performance-page';
import { ReconcileFigures, reconcileRuns, total } from './reconcile';
import { median, medianMs } from './stats';
import { LinkedTargets, linkTargets, TargetsSide } from './targets';
import { selfSignedCertificate } from './tls';
import { invokeBundledHandler } from '../local-aws/bundled-handler';
import { createEvent } from '../local-aws/cloudformation/events';
import { lambdaNode } from '../local-aws/lambda-node';
import { ResponseServer } from '../local-aws/response-server';
import type { ChunkReport } from '../projenrc/bundle-handler';
import { HANDLER_BUDGET } from '../projenrc/handler-budget';
import { AccountLinksEmulator } from '../src/emulator/emulator';

const SIDES: Side[] = ['ours', 'theirs'];
const MAX_ASSET_BYTES = HANDLER_BUDGET.assetBytes;
/** Cold start above node's own start, ours over theirs. */
const MAX_COLD_START_RATIO = 0.35;
/** The handler bundle's size report (projenrc/bundle-handler.ts). */
const CHUNK_REPORT = path.join(__dirname, '..', 'assets', 'lambda', 'index-chunks.json');
const MAX_RESPONSE_BYTES = 4096;
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:bench-handler';

interface Settings {
  readonly manyLookups: number;
  readonly synthCounts: number[];
  readonly synthRuns: number;
  readonly coldStartRuns: number;
  readonly links: number;
  /** Lookups created at once (CloudFormation creates a stack's resources in parallel) against the rate-limited emulator. */
  readonly lookupsAtOnce: number;
  /** Gates waiting at once (5 s polls) against it, each link turning LINKED on its third read. */
  readonly gatesAtOnce: number;
  /** Targets linked (invited and accepted through a role) by one AccountLinkTargets, and by a loop of pairs. */
  readonly targets: number;
  /** Accounts that join the unit before the second reconcile run of an AccountLinkTargets over `targets` accounts. */
  readonly newcomers: number;
}

const FULL: Settings = {
  manyLookups: 50,
  synthCounts: [1, 10, 100],
  synthRuns: 5,
  coldStartRuns: 20,
  links: 100,
  lookupsAtOnce: 100,
  gatesAtOnce: 25,
  targets: 100,
  newcomers: 5,
};
const QUICK: Settings = {
  manyLookups: 3, synthCounts: [1, 2], synthRuns: 1, coldStartRuns: 1, links: 30, lookupsAtOnce: 8, gatesAtOnce: 3, targets: 6, newcomers: 2,
};

/** The API's rate in the scale figures: 2 calls a second, 5 at once. */
const RATE_LIMIT = { perSecond: 2, burst: 5 };
/** The scale target: every lookup succeeds within 1.5 times what the rate itself needs. */
const MAX_SCALE_TIME_RATIO = 1.5;
/** Linking N targets: within 1.25 times the calls it needs over the rate, at most 5% of calls throttled. */
const MAX_TARGETS_TIME_RATIO = 1.25;
const MAX_TARGETS_THROTTLED = 0.05;
/** The calls linking N targets needs at the least: a listing, then one invitation and one acceptance each. */
const targetsCallsNeeded = (targets: number) => 2 * targets + 1;

type PerSide<T> = Record<Side, T>;

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--json', '--quick', '--readme'].includes(a));
  if (unknown.length > 0) throw new Error(`unknown arguments ${unknown.join(' ')}; usage: npm run bench -- [--json | --readme] [--quick]`);
  if (args.includes('--quick') && args.includes('--readme')) throw new Error('--readme takes a full run\'s figures, not --quick\'s');
  const settings = args.includes('--quick') ? QUICK : FULL;

  progress('templates');
  const templates = perSide((side) => {
    const one = synthesize((app) => lookupStack(app, side, 1));
    const many = synthesize((app) => lookupStack(app, side, settings.manyLookups));
    many.cleanup();
    return { one, many };
  });
  const resources = perSide((side) => {
    const { one, many } = templates[side];
    return { one: one.resources, many: many.resources, perExtra: (many.resources - one.resources) / (settings.manyLookups - 1) };
  });
  const bytesPerExtra = perSide((side) => {
    const { one, many } = templates[side];
    return (many.templateBytes - one.templateBytes) / (settings.manyLookups - 1);
  });

  progress(`synth time, median of ${settings.synthRuns} runs`);
  const synthMs = perSide((side) => Object.fromEntries(settings.synthCounts.map((count) =>
    [count, medianMs(settings.synthRuns, () => synthesize((app) => lookupStack(app, side, count)).cleanup())])));

  // The whole asset folder: the handler file and whatever it loads (our chunks).
  const assetBytes = perSide((side) => folderBytes(path.dirname(handlerFileOf(templates[side].one))));

  const responses = await ResponseServer.start({ tls: selfSignedCertificate(), port: 443 });
  const links = Array.from({ length: settings.links }, (_, i) => ({
    AccountLinkId: linkId(i + 1), AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: String(200000000000 + i),
  }));
  let coldStartMs: PerSide<number>;
  let nodeStartMs: number;
  let selfContained: PerSide<boolean>;
  let listing: PerSide<{ calls: number; status: string; responseBytes: number; linksReturned: number; reason?: string }>;
  let scale: PerSide<AtOnce>;
  let gates: AtOnce;
  let linkedTargets: Record<TargetsSide, LinkedTargets>;
  let reconcile: ReconcileFigures;
  try {
    progress(`cold start, median of ${settings.coldStartRuns} fresh processes each, interleaved`);
    // Node's own start, which both cold starts include, is a process that loads nothing.
    // The three are measured in turn, run after run, so that the machine's load drifting
    // during the benchmark weighs on all three alike.
    const emulators = await perSideAsync(() => AccountLinksEmulator.start({ links }));
    try {
      const times = { node: [] as number[], ours: [] as number[], theirs: [] as number[] };
      for (let i = 0; i < settings.coldStartRuns; i++) {
        const started = process.hrtime.bigint();
        execFileSync(lambdaNode(), ['-e', '']);
        times.node.push(Number(process.hrtime.bigint() - started) / 1e6);
        for (const side of SIDES) {
          const answer = await invoke(side, templates[side].one, emulators[side], responses);
          if (answer.status !== 'SUCCESS') throw new Error(`${side}: cold start run answered ${answer.status}: ${answer.reason}`);
          times[side].push(answer.durationMs);
        }
      }
      nodeStartMs = median(times.node);
      coldStartMs = { ours: median(times.ours), theirs: median(times.theirs) };
    } finally {
      await Promise.all(SIDES.map((side) => emulators[side].close()));
    }

    // Self-contained: the handler answers from its cdk.out folder (outside this project)
    // with no node_modules to find, i.e. nothing left for the Lambda runtime to provide.
    progress('self-containment');
    selfContained = await perSideAsync(async (side) => {
      const emulator = await AccountLinksEmulator.start({ links });
      try {
        const answer = await invoke(side, templates[side].one, emulator, responses, { isolated: true });
        if (answer.status !== 'SUCCESS') progress(`${side} is not self-contained: ${answer.reason}`);
        return answer.status === 'SUCCESS';
      } catch (error) {
        progress(`${side} is not self-contained: ${(error as Error).message.split('\n').find((l) => /Cannot find module/.test(l)) ?? (error as Error).message}`);
        return false;
      } finally {
        await emulator.close();
      }
    });

    progress(`reading ${settings.links} links`);
    listing = await perSideAsync(async (side) => {
      const emulator = await AccountLinksEmulator.start({ links });
      const synth = synthesize((app) => listStack(app, side));
      try {
        const answer = await invoke(side, synth, emulator, responses);
        const data = answer.data ?? {};
        const linksReturned = side === 'ours'
          ? Number(data.Count ?? 0)
          : Object.keys(data).filter((k) => /^AccountLinks\.\d+\.AccountLinkId$/.test(k)).length;
        return { calls: emulator.requests.length, status: answer.status, responseBytes: answer.bytes, linksReturned, reason: answer.reason };
      } finally {
        synth.cleanup();
        await emulator.close();
      }
    });

    progress(`${settings.lookupsAtOnce} lookups at once against ${RATE_LIMIT.perSecond} calls/s (burst ${RATE_LIMIT.burst})`);
    scale = await perSideAsync((side) => atOnce(side, templates[side].one, responses, settings.lookupsAtOnce));

    progress(`${settings.gatesAtOnce} gates waiting at once (5 s polls) against ${RATE_LIMIT.perSecond} calls/s`);
    gates = await gatesAtOnce(templates.ours.one, responses, settings.gatesAtOnce);

    progress(`linking ${settings.targets} targets against ${RATE_LIMIT.perSecond} calls/s: one AccountLinkTargets, then a loop of invitation + acceptance pairs`);
    linkedTargets = { targets: await linkTargets('targets', settings.targets, RATE_LIMIT), pairs: await linkTargets('pairs', settings.targets, RATE_LIMIT) };

    progress(`reconcile runs over ${settings.targets} LINKED targets of one unit: steady, then with ${settings.newcomers} newcomers`);
    reconcile = await reconcileRuns(settings.targets, settings.newcomers);
  } finally {
    await responses.close();
    SIDES.forEach((side) => templates[side].one.cleanup());
  }

  const figures = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    settings,
    resources,
    templateBytesPerExtraLookup: bytesPerExtra,
    synthMs,
    handlerAsset: perSide((side) => ({ bytes: assetBytes[side], selfContained: selfContained[side] })),
    handlerChunks: chunkReport(),
    coldStartMs,
    nodeStartMs,
    listing,
    scale,
    gates,
    linkedTargets,
    reconcile,
    targets: [
      target('+1 resource per extra lookup', resources.ours.perExtra === 1, `${resources.ours.perExtra}`),
      target('template bytes per extra lookup <= 0.3x theirs', bytesPerExtra.ours <= 0.3 * bytesPerExtra.theirs,
        `${ratio(bytesPerExtra.ours, bytesPerExtra.theirs)}x`),
      target(`cold start above node's own start <= ${MAX_COLD_START_RATIO}x theirs`,
        coldStartMs.ours - nodeStartMs <= MAX_COLD_START_RATIO * (coldStartMs.theirs - nodeStartMs),
        `${ratio(coldStartMs.ours - nodeStartMs, coldStartMs.theirs - nodeStartMs)}x`),
      target('handler self-contained and <= 300 KiB (307,200 bytes)', selfContained.ours && assetBytes.ours <= MAX_ASSET_BYTES,
        `${assetBytes.ours} bytes, ${selfContained.ours ? 'self-contained' : 'needs modules from the runtime'}`),
      target(`${settings.links} links in ${Math.ceil(settings.links / 25)} calls and a response that fits`,
        listing.ours.calls === Math.ceil(settings.links / 25) && listing.ours.status === 'SUCCESS' && listing.ours.responseBytes < MAX_RESPONSE_BYTES,
        `${listing.ours.calls} calls, ${listing.ours.status}${listing.ours.reason ? `: ${listing.ours.reason}` : ''}`),
      target(`${settings.lookupsAtOnce} lookups at once against ${RATE_LIMIT.perSecond} calls/s all succeed within ${MAX_SCALE_TIME_RATIO}x N / rate`,
        scale.ours.succeeded === settings.lookupsAtOnce
          && scale.ours.wallMs <= MAX_SCALE_TIME_RATIO * (settings.lookupsAtOnce / RATE_LIMIT.perSecond) * 1000,
        `${scale.ours.succeeded} of ${settings.lookupsAtOnce} in ${Math.round(scale.ours.wallMs / 1000)} s `
        + `(N / rate = ${settings.lookupsAtOnce / RATE_LIMIT.perSecond} s)${scale.ours.firstFailure ? `; ${scale.ours.firstFailure}` : ''}`),
      target(`${settings.gatesAtOnce} gates waiting at once against ${RATE_LIMIT.perSecond} calls/s all pass`, gates.succeeded === settings.gatesAtOnce,
        `${gates.succeeded} of ${settings.gatesAtOnce} in ${Math.round(gates.wallMs / 1000)} s${gates.firstFailure ? `; ${gates.firstFailure}` : ''}`),
      ...targetsTargets(linkedTargets.targets),
      reconcileTarget(reconcile),
    ],
  };

  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
    return;
  }
  const text = report(figures);
  process.stdout.write(text);
  if (args.includes('--readme')) {
    writePerformancePage(text);
    progress(`wrote the figures on ${PERFORMANCE_PAGE} and drew their chart`);
  }
}

type Figures = {
  machine: { cpu?: string; cores: number; node: string; platform: string };
  settings: Settings;
  resources: PerSide<{ one: number; many: number; perExtra: number }>;
  templateBytesPerExtraLookup: PerSide<number>;
  synthMs: PerSide<Record<number, number>>;
  handlerAsset: PerSide<{ bytes: number; selfContained: boolean }>;
  handlerChunks: ChunkReport[];
  coldStartMs: PerSide<number>;
  nodeStartMs: number;
  listing: PerSide<{ calls: number; status: string; responseBytes: number; linksReturned: number }>;
  scale: PerSide<AtOnce>;
  gates: AtOnce;
  linkedTargets: Record<TargetsSide, LinkedTargets>;
  reconcile: ReconcileFigures;
  targets: { name: string; met: boolean; value: string }[];
};

/**
 * A reconcile run over steady targets makes the listings alone: the source's links,
 * ⌈targets / 25⌉ pages of ListAccountLinks, and the unit's pages of ListAccountsForParent.
 */
function reconcileTarget({ targets, steady }: ReconcileFigures) {
  const linkPages = Math.ceil(targets / 25);
  const unitPages = steady.organizations.ListAccountsForParent ?? 0;
  const calls = total(steady.workspaces) + total(steady.organizations);
  return target(`one reconcile run over ${targets} steady targets in one unit: the listings alone, at most ${linkPages} + the unit's pages calls`,
    steady.outcome === 'RECONCILED' && steady.linked === targets && calls <= linkPages + unitPages
      && Object.keys(steady.organizations).every((o) => o === 'ListAccountsForParent'),
    `${calls} calls (${Object.entries({ ...steady.workspaces, ...steady.organizations }).map(([operation, n]) => `${n} ${operation}`).join(', ')}), `
    + `${linkPages} + ${unitPages} allowed`);
}

/** Calls by operation, each as its verb says it (List, Create, Accept; ListAccountsForParent), to keep the table narrow. */
function describeCalls(calls: Readonly<Record<string, number>>): string {
  return Object.entries(calls).map(([operation, n]) => `${n} ${operation.replace(/AccountLinks?|Invitation/g, '')}`).join(', ');
}

/** AccountLinkTargets' targets: every target LINKED, close to the calls it needs over the rate, hardly any call throttled. */
function targetsTargets(ours: LinkedTargets) {
  const needed = targetsCallsNeeded(ours.targets);
  const floorMs = (needed / RATE_LIMIT.perSecond) * 1000;
  return [
    target(`${ours.targets} targets through one AccountLinkTargets: all LINKED within ${MAX_TARGETS_TIME_RATIO}x (calls needed / rate)`,
      ours.linked === ours.targets && !ours.failure && ours.wallMs <= MAX_TARGETS_TIME_RATIO * floorMs,
      `${ours.linked} LINKED in ${round1(ours.wallMs / 1000)} s; ${needed} calls / ${RATE_LIMIT.perSecond} per s = ${round1(floorMs / 1000)} s: `
      + `${ratio(ours.wallMs, floorMs)}x${ours.failure ? `; ${ours.failure}` : ''}`),
    target(`${ours.targets} targets: at most ${MAX_TARGETS_THROTTLED * 100}% of calls throttled`, ours.throttled <= MAX_TARGETS_THROTTLED * ours.apiCalls,
      `${ours.throttled} of ${ours.apiCalls} (${round1((100 * ours.throttled) / ours.apiCalls)}%)`),
  ];
}

/** The figures as docs/performance.md shows them: the table, the handler's files, the targets, the machine. */
function report(figures: Figures): string {
  const { settings, resources, synthMs, coldStartMs, nodeStartMs, listing, handlerAsset } = figures;
  const bytesPerExtra = figures.templateBytesPerExtraLookup;
  const rows: string[][] = [['figure', 'ours', 'AwsCustomResource', 'ours / theirs']];
  // Figures are shown rounded; `exact` gives the unrounded pair the ratio is computed from.
  const row = (name: string, ours: number | string, theirs: number | string, exact?: [number, number]) => {
    const [a, b] = exact ?? [ours, theirs];
    rows.push([name, String(ours), String(theirs), typeof a === 'number' && typeof b === 'number' ? `${ratio(a, b)}x` : '']);
  };
  row('resources, 1 lookup', resources.ours.one, resources.theirs.one);
  row(`resources, ${settings.manyLookups} lookups`, resources.ours.many, resources.theirs.many);
  row('resources per extra lookup', resources.ours.perExtra, resources.theirs.perExtra);
  row('template bytes per extra lookup', Math.round(bytesPerExtra.ours), Math.round(bytesPerExtra.theirs), [bytesPerExtra.ours, bytesPerExtra.theirs]);
  for (const count of settings.synthCounts) {
    row(`synth ms, ${count} lookups (median of ${settings.synthRuns})`, round1(synthMs.ours[count]), round1(synthMs.theirs[count]),
      [synthMs.ours[count], synthMs.theirs[count]]);
  }
  row('handler asset bytes', handlerAsset.ours.bytes, handlerAsset.theirs.bytes);
  row('handler self-contained', String(handlerAsset.ours.selfContained), String(handlerAsset.theirs.selfContained));
  row(`cold start ms (median of ${settings.coldStartRuns})`, Math.round(coldStartMs.ours), Math.round(coldStartMs.theirs),
    [coldStartMs.ours, coldStartMs.theirs]);
  row(`  of which node's own start: ${Math.round(nodeStartMs)} ms; the rest`,
    Math.round(coldStartMs.ours - nodeStartMs), Math.round(coldStartMs.theirs - nodeStartMs),
    [coldStartMs.ours - nodeStartMs, coldStartMs.theirs - nodeStartMs]);
  row(`${settings.links} links: API calls`, listing.ours.calls, listing.theirs.calls);
  row(`${settings.links} links: links returned`, listing.ours.linksReturned, listing.theirs.linksReturned);
  row(`${settings.links} links: response bytes (limit 4096)`, listing.ours.responseBytes, listing.theirs.responseBytes);
  row(`${settings.links} links: answer`, listing.ours.status, listing.theirs.status);
  row(`${settings.links} links: CloudFormation accepts it`,
    String(listing.ours.responseBytes < MAX_RESPONSE_BYTES), String(listing.theirs.responseBytes < MAX_RESPONSE_BYTES));
  const { scale, gates } = figures;
  const scaleRow = `${settings.lookupsAtOnce} lookups at once, ${RATE_LIMIT.perSecond}/s`;
  row(`${scaleRow}: succeeded`, scale.ours.succeeded, scale.theirs.succeeded);
  row(`${scaleRow}: wall s`, round1(scale.ours.wallMs / 1000), round1(scale.theirs.wallMs / 1000), [scale.ours.wallMs, scale.theirs.wallMs]);
  row(`${scaleRow}: API calls (throttled)`, `${scale.ours.apiCalls} (${scale.ours.throttled})`, `${scale.theirs.apiCalls} (${scale.theirs.throttled})`,
    [scale.ours.apiCalls, scale.theirs.apiCalls]);
  row(`${settings.gatesAtOnce} gates at once, 5 s polls: passed`, gates.succeeded, 'no gate');
  row(`${settings.gatesAtOnce} gates at once: wall s, API calls (throttled)`, `${round1(gates.wallMs / 1000)}, ${gates.apiCalls} (${gates.throttled})`, '');
  // The targets comparison: ours is one AccountLinkTargets; theirs, our own per-target pairs (aws-cdk-lib has neither).
  const { targets: one, pairs } = figures.linkedTargets;
  const linkRow = `${settings.targets} targets, ${RATE_LIMIT.perSecond}/s, AccountLinkTargets vs ${settings.targets} invitation + acceptance pairs`;
  rows.push([linkRow, '', '', '']);
  row('  custom resources', one.resources, pairs.resources);
  row('  LINKED', one.linked, pairs.linked);
  row('  wall s', round1(one.wallMs / 1000), round1(pairs.wallMs / 1000), [one.wallMs, pairs.wallMs]);
  row('  API calls (throttled)', `${one.apiCalls} (${one.throttled})`, `${pairs.apiCalls} (${pairs.throttled})`, [one.apiCalls, pairs.apiCalls]);
  // Beside WorkSpaces': the ledger's own calls (DynamoDB, a quota of its own), which the pairs do not make.
  row('  ledger calls (DynamoDB)', String(one.ledgerCalls), String(pairs.ledgerCalls));
  const { reconcile } = figures;
  rows.push([`reconcile run over ${reconcile.targets} LINKED targets of one unit (AccountLinkTargets' reconcileEvery)`, '', '', '']);
  for (const [name, run] of [['steady', reconcile.steady], [`${reconcile.newcomers} newcomers`, reconcile.withNewcomers]] as const) {
    row(`  ${name}: WorkSpaces calls`, `${total(run.workspaces)} (${describeCalls(run.workspaces)})`, 'no run');
    row(`  ${name}: Organizations calls`, `${total(run.organizations)} (${describeCalls(run.organizations)})`, '');
    row(`  ${name}: ledger calls, PutEvents calls, LINKED after`, `${run.ledger}, ${run.putEvents}, ${run.linked}`, '');
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  if (figures.handlerChunks.length > 0) {
    lines.push('', 'our handler asset, by file (esbuild; a cold start loads the "start" ones):');
    for (const chunk of figures.handlerChunks) {
      lines.push(`  ${chunk.loaded.padEnd(9)}  ${String(chunk.bytes).padStart(6)}  ${chunk.file.padEnd(20)}  ${chunk.holds.join(', ')}`);
    }
    const atStart = figures.handlerChunks.filter((chunk) => chunk.loaded === 'start').reduce((sum, chunk) => sum + chunk.bytes, 0);
    lines.push(`  ${figures.handlerChunks.length} files, ${handlerAsset.ours.bytes} bytes; a cold start loads ${atStart}`);
  }
  lines.push('');
  for (const t of figures.targets) {
    lines.push(`${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`);
  }
  const { machine } = figures;
  lines.push('', `machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.platform}`);
  return lines.join('\n') + '\n';
}

/** Runs one side's handler from cdk.out on a Create event of the template's custom resource. */
async function invoke(side: Side, synth: Synthesized, emulator: AccountLinksEmulator, responses: ResponseServer,
  options: { isolated: boolean; properties?: Record<string, unknown> } = { isolated: false }) {
  const { type, properties } = customResourceOf(synth);
  const event = createEvent({ ...(options.properties ?? properties), ServiceToken: FUNCTION_ARN },
    { responseUrl: responses.url(side), resourceType: type });
  const invocation = await invokeBundledHandler(event, {
    handlerFile: handlerFileOf(synth),
    workspacesEndpoint: emulator.endpoint,
    functionArn: FUNCTION_ARN,
    env: {
      // Both handlers PUT to the loopback https endpoint, whose certificate is self-signed.
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      NODE_NO_WARNINGS: '1',
      // AwsCustomResource's handler loads the SDK the Lambda runtime provides: here, ours.
      ...(options.isolated ? {} : { NODE_PATH: path.join(__dirname, '..', 'node_modules') }),
    },
  });
  const response = await responses.waitFor(event.RequestId, 5_000);
  if (!response) {
    throw new Error(`${side}: no response (exit ${invocation.exitCode}): ${invocation.stderr.slice(0, 500)}`);
  }
  return {
    status: response.body.Status,
    reason: response.body.Reason,
    data: response.body.Data,
    bytes: response.rawBytes,
    durationMs: invocation.durationMs,
  };
}

/** What N invocations started at once against the rate-limited emulator came to. */
interface AtOnce {
  readonly succeeded: number;
  /** From the first invocation's start to the last answer. */
  readonly wallMs: number;
  readonly apiCalls: number;
  readonly throttled: number;
  readonly firstFailure?: string;
}

/** `count` invocations of `synth`'s custom resource at once, each a fresh process, as CloudFormation creates a stack's resources. */
async function atOnce(side: Side, synth: Synthesized, responses: ResponseServer, count: number,
  links: { AccountLinkId: string; AccountLinkStatus?: string; StatusSequence?: string[]; SourceAccountId: string; TargetAccountId: string }[] = [
    { AccountLinkId: linkId(1), AccountLinkStatus: 'LINKED', SourceAccountId: '111122223333', TargetAccountId: '200000000000' },
  ],
  propertiesOf?: (i: number) => Record<string, unknown>): Promise<AtOnce> {
  const emulator = await AccountLinksEmulator.start({ links, rateLimit: RATE_LIMIT });
  const started = Date.now();
  try {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => invoke(side, synth, emulator, responses,
      { isolated: false, properties: propertiesOf?.(i) })
      .catch((error: Error) => ({ status: 'NO ANSWER', reason: error.message }))));
    const failed = answers.filter((a) => a.status !== 'SUCCESS');
    return {
      succeeded: count - failed.length,
      wallMs: Date.now() - started,
      apiCalls: emulator.requests.length,
      throttled: emulator.throttled,
      firstFailure: failed[0] ? `${failed[0].status}: ${String(failed[0].reason).slice(0, 200)}` : undefined,
    };
  } finally {
    await emulator.close();
  }
}

/** `count` gates at once on links that turn LINKED on their third read, polling every 5 s: ours only (AwsCustomResource has no gate). */
function gatesAtOnce(synth: Synthesized, responses: ResponseServer, count: number): Promise<AtOnce> {
  const links = Array.from({ length: count }, (_, i) => ({
    AccountLinkId: linkId(i + 1),
    StatusSequence: ['PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT', 'LINKED'],
    SourceAccountId: '111122223333',
    TargetAccountId: String(200000000000 + i),
  }));
  return atOnce('ours', synth, responses, count, links, (i) => ({
    LinkId: linkId(i + 1), RequiredStatus: 'LINKED', WaitTimeoutSeconds: '600', PollIntervalSeconds: '5',
  }));
}

/** Bytes of every file in a folder (an asset). */
function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0);
}

/** The esbuild size report of our handler bundle, if the bundle task wrote one. */
function chunkReport(): ChunkReport[] {
  return existsSync(CHUNK_REPORT) ? JSON.parse(readFileSync(CHUNK_REPORT, 'utf8')) : [];
}

function perSide<T>(measure: (side: Side) => T): PerSide<T> {
  return { ours: measure('ours'), theirs: measure('theirs') };
}

async function perSideAsync<T>(measure: (side: Side) => Promise<T>): Promise<PerSide<T>> {
  return { ours: await measure('ours'), theirs: await measure('theirs') };
}

function target(name: string, met: boolean, value: string) {
  return { name, met, value };
}

const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
const round1 = (n: number) => Math.round(n * 10) / 10;

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(1);
});
