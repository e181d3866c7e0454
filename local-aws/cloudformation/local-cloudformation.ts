import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AssemblyStack, TemplateResource } from './cloud-assembly';
import { references, resolve, ResolveContext } from './intrinsics';
import { LocalLambda } from '../local-lambda';
import { ResponseServer } from '../response-server';

/** The account of stacks whose environment names none. */
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/** The access key the handlers of `account`'s stacks sign with (the emulator knows it). */
export const accessKeyOf = (account: string) => `AKIDLOCAL${account}`;

/** What happened to one resource. */
export interface ResourceResult {
  readonly logicalId: string;
  readonly type: string;
  /** CREATE_COMPLETE, CREATE_FAILED, or SIMULATED for resources only custom resources need. */
  readonly status: 'CREATE_COMPLETE' | 'CREATE_FAILED' | 'SIMULATED';
  readonly physicalId?: string;
  readonly reason?: string;
  readonly durationMs?: number;
}

export interface StackResult {
  readonly stackName: string;
  readonly status: 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE';
  /** The failed resource's reason, as CloudFormation shows it. */
  readonly reason?: string;
  readonly resources: ResourceResult[];
  readonly outputs: Record<string, string>;
}

interface CreatedCustomResource {
  readonly account: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly properties: Record<string, unknown>;
}

/**
 * A local stand-in for CloudFormation, for templates whose real work is done by
 * Lambda-backed custom resources: it walks the resources in dependency order, sends each
 * custom resource the event CloudFormation would (a pre-signed-looking loopback
 * ResponseURL), waits for the answer up to the resource's ServiceTimeout, resolves
 * Fn::GetAtt and Outputs, and rolls back on failure. Other resources are simulated: they
 * get an id and an ARN, nothing more.
 */
export class LocalCloudFormation {
  private readonly exports = new Map<string, string>();
  private readonly created = new Map<string, CreatedCustomResource[]>();

  constructor(
    private readonly cdkOut: string,
    private readonly lambda: LocalLambda,
    private readonly responses: ResponseServer,
    private readonly progress: (line: string) => void,
  ) {}

  public async deploy(stack: AssemblyStack): Promise<StackResult> {
    const { template, stackName } = stack;
    const account = stack.account ?? ACCOUNT;
    const stackId = `arn:aws:cloudformation:${REGION}:${account}:stack/${stackName}/${randomUUID()}`;
    const physicalIds = new Map<string, string>();
    const attributes = new Map<string, Record<string, unknown>>();
    const context: ResolveContext = {
      ref: (id) => {
        const pseudo: Record<string, string> = {
          'AWS::AccountId': ACCOUNT,
          'AWS::Region': REGION,
          'AWS::Partition': 'aws',
          'AWS::StackName': stackName,
          'AWS::StackId': stackId,
          'AWS::URLSuffix': 'amazonaws.com',
        };
        if (id in pseudo) return pseudo[id];
        if (template.Parameters?.[id]) return template.Parameters[id].Default;
        if (!physicalIds.has(id)) throw new Error(`Ref ${id}: not created yet`);
        return physicalIds.get(id);
      },
      getAtt: (id, attribute) => {
        const value = attributes.get(id)?.[attribute];
        if (value === undefined) throw new Error(`Fn::GetAtt ${id}.${attribute}: no such attribute`);
        return value;
      },
      importValue: (name) => {
        if (!this.exports.has(name)) throw new Error(`Fn::ImportValue ${name}: no stack exports it`);
        return this.exports.get(name);
      },
    };

    const created: CreatedCustomResource[] = [];
    this.created.set(stackName, created);
    const results: ResourceResult[] = [];
    for (const [logicalId, resource] of ordered(template.Resources)) {
      if (resource.Condition) continue; // CDK's conditional resources (CDKMetadata) need a real Region
      if (!isCustomResource(resource)) {
        const simulated = this.simulate(stackName, logicalId, resource);
        physicalIds.set(logicalId, simulated.physicalId);
        attributes.set(logicalId, simulated.attributes);
        results.push({ logicalId, type: resource.Type, status: 'SIMULATED', physicalId: simulated.physicalId });
        continue;
      }
      const properties = resolve(resource.Properties ?? {}, context) as Record<string, unknown>;
      this.progress(`${stackName}: CREATE_IN_PROGRESS ${logicalId} (${resource.Type})`);
      const started = Date.now();
      const answer = await this.send(account, stackId, 'Create', logicalId, resource.Type, properties);
      const durationMs = Date.now() - started;
      if (answer.Status === 'SUCCESS') {
        physicalIds.set(logicalId, answer.PhysicalResourceId);
        attributes.set(logicalId, answer.Data ?? {});
        created.push({ account, logicalId, type: resource.Type, physicalId: answer.PhysicalResourceId, properties });
        results.push({ logicalId, type: resource.Type, status: 'CREATE_COMPLETE', physicalId: answer.PhysicalResourceId, durationMs });
        this.progress(`${stackName}: CREATE_COMPLETE ${logicalId} in ${durationMs} ms${this.noteOf(logicalId)}`);
        continue;
      }
      results.push({ logicalId, type: resource.Type, status: 'CREATE_FAILED', reason: answer.Reason, durationMs });
      this.progress(`${stackName}: CREATE_FAILED ${logicalId}: ${answer.Reason}`);
      // The failed resource returned a physical id: CloudFormation deletes it in the rollback too.
      created.push({ account, logicalId, type: resource.Type, physicalId: answer.PhysicalResourceId, properties });
      await this.destroy(stackName, 'ROLLBACK');
      return { stackName, status: 'ROLLBACK_COMPLETE', reason: `${logicalId}: ${answer.Reason}`, resources: results, outputs: {} };
    }

    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      outputs[name] = String(resolve(output.Value, context));
      if (output.Export) this.exports.set(String(resolve(output.Export.Name, context)), outputs[name]);
    }
    this.progress(`${stackName}: CREATE_COMPLETE`);
    return { stackName, status: 'CREATE_COMPLETE', resources: results, outputs };
  }

  /** Sends Delete to every custom resource the stack created, newest first, as `cdk destroy` (or a rollback) does. */
  public async destroy(stackName: string, phase: 'DELETE' | 'ROLLBACK' = 'DELETE'): Promise<Array<{ logicalId: string; status: string }>> {
    const created = this.created.get(stackName) ?? [];
    const deleted = [];
    for (const resource of [...created].reverse()) {
      const stackId = `arn:aws:cloudformation:${REGION}:${resource.account}:stack/${stackName}/${randomUUID()}`;
      const answer = await this.send(resource.account, stackId, 'Delete', resource.logicalId, resource.type, resource.properties, resource.physicalId);
      const status = answer.Status === 'SUCCESS' ? 'DELETE_COMPLETE' : `DELETE_FAILED: ${answer.Reason}`;
      this.progress(`${stackName}: ${phase === 'ROLLBACK' ? 'rollback ' : ''}${status} ${resource.logicalId}${this.noteOf(resource.logicalId)}`);
      deleted.push({ logicalId: resource.logicalId, status });
    }
    this.created.delete(stackName);
    return deleted;
  }

  private async send(
    account: string, stackId: string, requestType: 'Create' | 'Delete', logicalId: string, type: string,
    properties: Record<string, unknown>, physicalId?: string,
  ) {
    // The handler signs as the stack's account (its process starts with this environment).
    process.env.AWS_ACCESS_KEY_ID = accessKeyOf(account);
    const requestId = randomUUID();
    const serviceToken = String(properties.ServiceToken);
    const event = {
      RequestType: requestType,
      ServiceToken: serviceToken,
      ResponseURL: this.responses.url(`${logicalId}/${requestId}`),
      StackId: stackId,
      RequestId: requestId,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ResourceProperties: properties,
      ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
    };
    this.lambda.invoke(serviceToken, event);
    // CloudFormation waits for the answer up to the resource's ServiceTimeout (default 1 hour).
    const timeoutMs = Number(properties.ServiceTimeout ?? 3600) * 1000;
    const response = await this.responses.waitFor(requestId, timeoutMs);
    if (response) await this.lambda.idle();
    return response?.body ?? {
      Status: 'FAILED' as const,
      Reason: `CloudFormation did not receive a response from your Custom Resource within ${timeoutMs / 1000} s`,
      PhysicalResourceId: physicalId ?? requestId,
      Data: undefined,
    };
  }

  /** The note the handler logged for the resource's last event (an adopted invitation, a link left in place), if any. */
  private noteOf(logicalId: string): string {
    for (const record of [...this.lambda.records].reverse()) {
      const log = record.message;
      if (typeof log === 'object' && log !== null && log.logicalResourceId === logicalId) return log.note ? ` (${log.note})` : '';
    }
    return '';
  }

  private simulate(stackName: string, logicalId: string, resource: TemplateResource) {
    const physicalId = `${stackName}-${logicalId}`;
    const arn = `arn:aws:${serviceOf(resource.Type)}:${REGION}:${ACCOUNT}:${physicalId}`;
    if (resource.Type === 'AWS::Lambda::Function') {
      const assetPath = String(resource.Metadata?.['aws:asset:path'] ?? '');
      const [file, exportName] = String(resource.Properties?.Handler ?? 'index.handler').split('.');
      if (!assetPath || exportName !== 'handler') {
        throw new Error(`${logicalId}: a function needs an asset and a handler named <file>.handler`);
      }
      const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physicalId}`;
      this.lambda.register({
        arn: functionArn,
        handlerFile: handlerFileIn(path.resolve(this.cdkOut, assetPath), file),
        timeoutMs: Number(resource.Properties?.Timeout ?? 3) * 1000,
      });
      return { physicalId, attributes: { Arn: functionArn } };
    }
    return { physicalId, attributes: { Arn: arn } };
  }
}

/** Whether CloudFormation hands the resource to a function (a custom resource). */
export function isCustomResource(resource: TemplateResource): boolean {
  return resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource';
}

function serviceOf(type: string): string {
  return (type.split('::')[1] ?? 'unknown').toLowerCase();
}

/** Resources in an order where each comes after what it refers to or depends on. */
function ordered(resources: Record<string, TemplateResource>): Array<[string, TemplateResource]> {
  const done = new Set<string>();
  const result: Array<[string, TemplateResource]> = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`dependency cycle at ${id}`);
    visiting.add(id);
    const resource = resources[id];
    const dependsOn = [resource.DependsOn ?? []].flat();
    for (const dep of [...dependsOn, ...references(resource.Properties ?? {})]) {
      if (resources[dep]) visit(dep);
    }
    visiting.delete(id);
    done.add(id);
    result.push([id, resource]);
  };
  Object.keys(resources).forEach(visit);
  return result;
}

/** The file of handler module `file` in an asset folder: an ES module (.mjs) or CommonJS (.js), as Lambda looks for them. */
export function handlerFileIn(assetDir: string, file: string): string {
  const esm = path.join(assetDir, `${file}.mjs`);
  return existsSync(esm) ? esm : path.join(assetDir, `${file}.js`);
}
