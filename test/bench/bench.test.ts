import { execFile } from 'node:child_process';
import * as path from 'node:path';

// The benchmark is slow and machine-dependent, so it is not part of the test run; this
// runs it with tiny counts (--quick) so that it cannot rot. It needs port 443 on loopback.
test('the benchmark runs and reports both sides', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'bench/tsconfig.json', 'bench/index.ts', '--quick', '--json'],
      { cwd: path.join(__dirname, '..', '..'), env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
      (error, out, err) => resolve({ code: error ? (error.code as number) : 0, stdout: out, stderr: err }));
  });
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  const figures = JSON.parse(stdout);

  expect(figures.resources.ours.perExtra).toBe(1);
  expect(figures.resources.theirs.perExtra).toBe(2);
  expect(figures.handlerAsset.ours.selfContained).toBe(true);
  expect(figures.handlerAsset.theirs.selfContained).toBe(false);
  expect(figures.coldStartMs.ours).toBeGreaterThan(0);
  expect(figures.coldStartMs.theirs).toBeGreaterThan(0);
  // 30 links: two pages of 25 for us, all 30 returned; AwsCustomResource reads one page.
  expect(figures.listing.ours).toMatchObject({ calls: 2, status: 'SUCCESS', linksReturned: 30 });
  expect(figures.listing.theirs).toMatchObject({ calls: 1, linksReturned: 25 });
  expect(figures.targets.map((t: { name: string }) => t.name)).toHaveLength(10);
  // Lookups created at once and gates waiting at once against the rate-limited emulator: ours all get through.
  expect(figures.scale.ours).toMatchObject({ succeeded: figures.settings.lookupsAtOnce });
  expect(figures.scale.theirs.apiCalls).toBeGreaterThan(0);
  expect(figures.gates).toMatchObject({ succeeded: figures.settings.gatesAtOnce });
  // Linking targets: one resource, every target LINKED, in fewer calls than the loop of pairs makes.
  const { targets, pairs } = figures.linkedTargets;
  expect(targets).toMatchObject({ targets: figures.settings.targets, linked: figures.settings.targets, resources: 1 });
  expect(pairs).toMatchObject({ linked: figures.settings.targets, resources: 2 * figures.settings.targets });
  expect(targets.apiCalls).toBeLessThanOrEqual(pairs.apiCalls);
  // Reconcile runs: over steady targets, the listings alone; with newcomers, each invited and accepted once.
  const { steady, withNewcomers } = figures.reconcile;
  expect(steady).toMatchObject({ outcome: 'RECONCILED', linked: figures.settings.targets, workspaces: { ListAccountLinks: 1 }, putEvents: 0 });
  expect(Object.keys(steady.organizations)).toEqual(['ListAccountsForParent']);
  expect(withNewcomers).toMatchObject({
    outcome: 'RECONCILED',
    linked: figures.settings.targets + figures.settings.newcomers,
    workspaces: { CreateAccountLinkInvitation: figures.settings.newcomers, AcceptAccountLinkInvitation: figures.settings.newcomers },
  });
  expect(figures.targets.find((t: { name: string }) => t.name.startsWith('one reconcile run'))).toMatchObject({ met: true });
  // The esbuild size report: the entry module loads at every cold start, some chunks only on demand.
  expect(figures.handlerChunks).toContainEqual(expect.objectContaining({ file: 'index.js', loaded: 'start' }));
  expect(figures.handlerChunks.some((chunk: { loaded: string }) => chunk.loaded === 'on demand')).toBe(true);
}, 180_000);
