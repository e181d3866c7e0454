import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs `npm run demo`'s program (the asset is bundled by the test task) and returns its output. */
function demo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'examples/tsconfig.json', 'examples/demo/main.ts', ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

test('the demo deploys the example app against examples/links.json as expected', async () => {
  const { code, stdout, stderr } = await demo('--json');
  const result = JSON.parse(stdout);

  expect(code).toBe(0);
  expect(result.asExpected).toBe(true);
  const [example, rejected] = result.stacks;
  expect(example).toMatchObject({
    stackName: 'WorkSpacesAccountLinksExample',
    status: 'CREATE_COMPLETE',
    outputs: { LinkId: 'link-1a2b3c4d', LinkStatus: 'LINKED', LinkedCount: '2', FirstLinkedTarget: '444455556666', GatedLinkId: 'link-2c3d4e5f' },
  });
  expect(rejected).toMatchObject({ stackName: 'WorkSpacesAccountLinksRejected', status: 'ROLLBACK_COMPLETE' });
  expect(rejected.reason).toMatch(/^RejectedGate[0-9A-F]{8}: link link-9a8b7c6d is REJECTED, not LINKED: account 555566667777 rejected the invitation/);
  // Progress on stderr: the gate waited, and every custom resource was deleted again.
  expect(stderr).toMatch(/CREATE_COMPLETE NewTargetGate[0-9A-F]{8} in \d+ ms/);
  expect(stderr.match(/DELETE_COMPLETE/g)).toHaveLength(8);
  // The handshake across two accounts: the target accepted by the source account, its gate passed.
  const [, , source, target] = result.stacks;
  expect(source).toMatchObject({ stackName: 'WorkSpacesAccountLinksSource', status: 'CREATE_COMPLETE', outputs: { InvitedAccount: '666677778888' } });
  expect(target).toMatchObject({ stackName: 'WorkSpacesAccountLinksTarget', status: 'CREATE_COMPLETE', outputs: { LinkStatus: 'LINKED' } });
  expect(target.outputs.LinkId).toBe(source.outputs.InvitationLinkId);
  expect(stderr).toMatch(/DELETE_COMPLETE Invite[0-9A-F]{8} \(link link-[0-9a-f]{8} is LINKED and was left in place: the API cannot unlink it\)/);
  // A whole organizational unit (and its nested one) through one resource: 24 targets, all LINKED.
  expect(result.stacks[4]).toMatchObject({ stackName: 'WorkSpacesAccountLinksOrganization', status: 'CREATE_COMPLETE', outputs: { TargetCount: '24', LinkedCount: '24' } });
  expect(result.linksByStatus).toEqual({ LINKED: 28, REJECTED: 1 });

  // Between deployments: an account joined the unit, and the next run of the hourly schedule linked it.
  const between = result.betweenDeployments;
  expect(result.betweenDeploymentsDifferences).toEqual([]);
  expect(between).toMatchObject({
    joined: { accountId: '310000000025', unitId: 'ou-ab12-research' },
    expression: 'rate(60 minutes)',
    invocations: 1,
    link: { AccountLinkStatus: 'LINKED' },
    metrics: { TargetCount: 25, LinkedCount: 25, PendingCount: 0, NotLinkedCount: 0, Invited: 1 },
  });
  expect(between.schedule).toMatch(/^WorkSpacesAccountLinksOrganization\/BusinessUnitReconcileSchedule[0-9A-F]{8}$/);
  // The schedule's next run brought forward to now: never due later than the handler's clock (a run due later acts on nothing).
  expect(Date.parse(between.scheduledTime)).toBeLessThanOrEqual(Date.now());
  expect(between.metricLines).toEqual([expect.objectContaining({
    _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'WorkSpacesAccountLinks', Dimensions: [['Resource']] })] }),
    Resource: expect.stringMatching(/^WorkSpacesAccountLinksOrganization\/BusinessUnit[0-9A-F]{8}$/),
  })]);
  expect(between.events).toEqual([expect.objectContaining({
    'source': 'cdk-workspaces-account-links',
    'detail-type': 'Account Link Changed',
    'account': '111122223333',
    'detail': expect.objectContaining({ targetAccountId: '310000000025', accountLinkId: between.link.AccountLinkId, newStatus: 'LINKED', observedBy: 'schedule' }),
  })]);
  // The schedule goes before the resource it runs, as CloudFormation deletes what refers to a resource first.
  const scheduleDeleted = stderr.search(/WorkSpacesAccountLinksOrganization: AWS::Scheduler::Schedule BusinessUnitReconcileSchedule[0-9A-F]{8} deleted/);
  expect(scheduleDeleted).toBeGreaterThan(-1);
  expect(stderr.search(/WorkSpacesAccountLinksOrganization: DELETE_COMPLETE BusinessUnit[0-9A-F]{8}/)).toBeGreaterThan(scheduleDeleted);
}, 180_000);

test('with other links the example does not behave as expected: exit status 1, saying why', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-links-'));
  const links = path.join(dir, 'links.json');
  writeFileSync(links, JSON.stringify([
    { AccountLinkId: 'link-1a2b3c4d', AccountLinkStatus: 'REJECTED', SourceAccountId: '111122223333', TargetAccountId: '444455556666' },
  ]));
  const { code, stdout } = await demo('--links', links);

  expect(code).toBe(1);
  expect(stdout).toMatch(/^STACK +STATUS +OUTPUT +VALUE$/m);
  expect(stdout).toMatch(/WorkSpacesAccountLinksExample: NOT as expected: status ROLLBACK_COMPLETE, expected CREATE_COMPLETE/);
}, 120_000);
