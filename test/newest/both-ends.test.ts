import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filesOf, synthTypeScriptApp, templateFiles } from '../languages/support';

// The example app synthesized on both ends of the supported aws-cdk-lib range: the floor
// (the build's devDependency, 2.176.0) and the newest (this folder's, 2.278.0).
let floor: string;
let newest: string;

beforeAll(async () => {
  [floor, newest] = await Promise.all([synthTypeScriptApp(), synthTypeScriptApp({ newestCdk: true })]);
}, 5 * 60_000);

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function resources(dir: string, template: string): Resources {
  return JSON.parse(readFileSync(path.join(dir, template), 'utf8')).Resources;
}

/** The library's resources: its custom resources, its provider (function, role, policies, log group) and the check step's project and role. */
function isLibrarys(logicalId: string, type: string): boolean {
  return type.startsWith('Custom::WorkSpaces') || logicalId.startsWith('WorkSpacesAccountLinksHandler') || /CheckByolLink/.test(logicalId);
}

test('both ends synthesize the same stacks, each with the same resources, and the same handler asset', () => {
  expect(templateFiles(newest)).toEqual(templateFiles(floor));
  expect(templateFiles(floor)).toHaveLength(7);
  for (const template of templateFiles(floor)) {
    const types = (dir: string) => Object.entries(resources(dir, template)).map(([id, r]) => `${id} ${r.Type}`);
    expect({ template, resources: types(newest) }).toEqual({ template, resources: types(floor) });
  }
  const assets = (dir: string) => filesOf(dir).filter((f) => /^asset\.[0-9a-f]{64}\//.test(f));
  expect(assets(floor).length).toBeGreaterThan(0);
  expect(assets(newest)).toEqual(assets(floor));
});

test('the library\'s resources are the same on both ends, but the handler\'s runtime: the newest Node.js each end knows', () => {
  const differences: string[] = [];
  let compared = 0;
  for (const template of templateFiles(floor)) {
    const [atFloor, atNewest] = [resources(floor, template), resources(newest, template)];
    for (const [id, resource] of Object.entries(atFloor)) {
      if (!isLibrarys(id, resource.Type)) continue;
      compared++;
      for (const key of new Set([...Object.keys(resource.Properties ?? {}), ...Object.keys(atNewest[id].Properties ?? {})])) {
        const [a, b] = [resource.Properties?.[key], atNewest[id].Properties?.[key]];
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${path.basename(template)} ${resource.Type} ${key}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
      }
      expect({ id, metadata: metadataOf(atNewest[id]) }).toEqual({ id, metadata: metadataOf(resource) });
    }
  }

  // 11 custom resources; 6 providers (the pipeline's stage has one) of 38 resources in all (the organization's with its
  // ledger table, the table's policy, the events' policy, and the reconcile schedule's role and its policy); the check
  // step's project, role and policy.
  expect(compared).toBe(52);
  expect(differences.sort()).toEqual([
    'WorkSpacesAccountLinksExample.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
    'WorkSpacesAccountLinksOrganization.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
    'WorkSpacesAccountLinksPipelineProdWorkload2175B5F1.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
    'WorkSpacesAccountLinksRejected.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
    'WorkSpacesAccountLinksSource.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
    'WorkSpacesAccountLinksTarget.template.json AWS::Lambda::Function Runtime: "nodejs22.x" → "nodejs26.x"',
  ]);
});

/** A resource's CloudFormation metadata but aws-cdk-lib's own (`aws:cdk:path`, which the example app's context may switch off). */
function metadataOf(resource: object): unknown {
  const { Metadata = {} } = resource as { Metadata?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(Metadata).filter(([key]) => !key.startsWith('aws:')));
}
