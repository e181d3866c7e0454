import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { handlerFileIn } from '../local-aws/cloudformation/local-cloudformation';
import { AccountLink, AccountLinks, AccountLinkStatus } from '../src';

export type Side = 'ours' | 'theirs';

/** The n-th lookup's link id. */
export const linkId = (n: number) => `link-${String(n).padStart(8, '0')}`;

/** A stack with `lookups` GetAccountLink reads, done by our construct or by AwsCustomResource. */
export function lookupStack(app: App, side: Side, lookups: number): Stack {
  const stack = new Stack(app, `Bench-${side}-${lookups}`);
  for (let i = 1; i <= lookups; i++) {
    if (side === 'ours') {
      new AccountLink(stack, `Link${i}`, { linkId: linkId(i) });
    } else {
      new AwsCustomResource(stack, `Link${i}`, {
        onUpdate: {
          service: 'WorkSpaces',
          action: 'GetAccountLink',
          parameters: { LinkId: linkId(i) },
          physicalResourceId: PhysicalResourceId.of(linkId(i)),
        },
        policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
        // No network here: the handler must use the SDK it finds, not install the latest.
        installLatestAwsSdk: false,
      });
    }
  }
  return stack;
}

/** A stack that lists every link with a status (ListAccountLinks). */
export function listStack(app: App, side: Side): Stack {
  const stack = new Stack(app, `Bench-${side}-list`);
  if (side === 'ours') {
    new AccountLinks(stack, 'Links', { statusFilter: [AccountLinkStatus.LINKED] });
  } else {
    new AwsCustomResource(stack, 'Links', {
      onUpdate: {
        service: 'WorkSpaces',
        action: 'ListAccountLinks',
        parameters: { LinkStatusFilter: ['LINKED'] },
        physicalResourceId: PhysicalResourceId.of('links'),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
  }
  return stack;
}

export interface Synthesized {
  readonly template: any;
  readonly templateBytes: number;
  readonly resources: number;
  /** The directory holding the stack's assets (cdk.out); remove with cleanup(). */
  readonly outdir: string;
  cleanup(): void;
}

/** Synthesizes a stack into a fresh cdk.out. */
export function synthesize(build: (app: App) => Stack): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-cdk-out-'));
  // As the CDK CLI does: asset metadata tells where each function's code is in cdk.out.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = build(app);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  return {
    template,
    templateBytes: Buffer.byteLength(JSON.stringify(template)),
    resources: Object.keys(template.Resources).length,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The handler file of the template's only Lambda function, in cdk.out. */
export function handlerFileOf(synth: Synthesized): string {
  const functions = Object.values(synth.template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`expected one function, found ${functions.length}`);
  const [file] = String(functions[0].Properties.Handler).split('.');
  return handlerFileIn(path.join(synth.outdir, functions[0].Metadata['aws:asset:path']), file);
}

/** The custom resource of a one-lookup template: its type and properties. */
export function customResourceOf(synth: Synthesized): { type: string; properties: Record<string, unknown> } {
  const [resource] = Object.values(synth.template.Resources as Record<string, any>)
    .filter((r) => r.Type.startsWith('Custom::'));
  return { type: resource.Type, properties: resource.Properties };
}
