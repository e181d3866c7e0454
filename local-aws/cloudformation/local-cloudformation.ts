import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AssemblyStack, TemplateResource } from './cloud-assembly';
import { references, resolve, ResolveContext } from './intrinsics';
import type { LedgerServer, TableDefinition } from '../../src/emulator/ledger';
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
  /** CREATE_COMPLETE (custom resources, tables), CREATE_FAILED, or SIMULATED for resources only custom resources need. */
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

/** A table a stack created on the local DynamoDB, and whether deleting the stack keeps it. */
interface CreatedTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly deletionPolicy?: string;
}

/**
 * A resource the local deployment only simulates (neither a custom resource nor a table),
 * kept while its stack is deployed: what a stand-in for its service (the local scheduler)
 * reads of it.
 */
export interface SimulatedResource {
  readonly stackName: string;
  /** The stack's account. */
  readonly account: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly attributes: Record<string, unknown>;
  /**
   * Its properties, resolved when it was created, as CloudFormation hands them to the
   * service; undefined when they use what the local deployment cannot resolve (`unresolved`
   * says what).
   */
  readonly properties?: Record<string, unknown>;
  readonly unresolved?: string;
  /** When the deployment created it. */
  readonly createdAt: Date;
}

/**
 * The types of resource that start invocations on their own (a schedule, a rule): a
 * stack's delete removes them first, before the custom resources they refer to, as
 * CloudFormation deletes what refers to a resource before the resource.
 */
const INVOKING_TYPES = ['AWS::Scheduler::Schedule', 'AWS::Events::Rule'];

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
 * Fn::GetAtt and Outputs, and rolls back on failure. Functions run their asset with the
 * template's environment variables; DynamoDB tables are created on the local DynamoDB
 * (`ledger`), which the functions reach at AWS_ENDPOINT_URL_DYNAMODB. Other resources are
 * simulated: they get an id and an ARN, nothing more.
 */
export class LocalCloudFormation {
  private readonly exports = new Map<string, string>();
  private readonly created = new Map<string, CreatedCustomResource[]>();
  private readonly tables = new Map<string, CreatedTable[]>();
  private readonly simulated = new Map<string, SimulatedResource[]>();

  constructor(
    private readonly cdkOut: string,
    private readonly lambda: LocalLambda,
    private readonly responses: ResponseServer,
    private readonly progress: (line: string) => void,
    /** Where the templates' AWS::DynamoDB::Table resources are created; a template with one needs it. */
    private readonly ledger?: LedgerServer,
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
    this.tables.set(stackName, []);
    const simulatedResources: SimulatedResource[] = [];
    this.simulated.set(stackName, simulatedResources);
    const results: ResourceResult[] = [];
    for (const [logicalId, resource] of ordered(template.Resources)) {
      if (resource.Condition) continue; // CDK's conditional resources (CDKMetadata) need a real Region
      if (resource.Type === TABLE_TYPE) {
        const table = await this.createTable(stackName, account, logicalId, resource, context);
        physicalIds.set(logicalId, table.tableName);
        attributes.set(logicalId, { Arn: table.arn });
        results.push({ logicalId, type: resource.Type, status: 'CREATE_COMPLETE', physicalId: table.tableName });
        continue;
      }
      if (!isCustomResource(resource)) {
        const simulated = this.simulate(stackName, logicalId, resource, context);
        physicalIds.set(logicalId, simulated.physicalId);
        attributes.set(logicalId, simulated.attributes);
        const kept = { stackName, account, logicalId, type: resource.Type, ...simulated, createdAt: new Date() };
        simulatedResources.push({ ...kept, ...resolvedProperties(resource, context) });
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

  /** The stacks deployed now (a rolled back or destroyed stack is not). */
  public deployedStackNames(): string[] {
    return [...this.simulated.keys()];
  }

  /**
   * The resources of a deployed stack that are only simulated (functions, roles, schedules,
   * rules, ...), in the order they were created; none once the stack is destroyed.
   */
  public simulatedResources(stackName: string): readonly SimulatedResource[] {
    return this.simulated.get(stackName) ?? [];
  }

  /**
   * Removes the stack's schedules and rules first (nothing invokes its functions any more),
   * sends Delete to every custom resource the stack created, newest first, as `cdk destroy`
   * (or a rollback) does, then deletes its tables but those its DeletionPolicy keeps.
   */
  public async destroy(stackName: string, phase: 'DELETE' | 'ROLLBACK' = 'DELETE'): Promise<Array<{ logicalId: string; status: string }>> {
    const simulated = this.simulated.get(stackName) ?? [];
    this.simulated.delete(stackName);
    for (const resource of [...simulated].reverse().filter((r) => INVOKING_TYPES.includes(r.type))) {
      this.progress(`${stackName}: ${phase === 'ROLLBACK' ? 'rollback ' : ''}${resource.type} ${resource.logicalId} deleted`);
    }
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
    // Tables come before what uses them, so they go after it (the handler's Delete reads its ledger).
    for (const table of [...this.tables.get(stackName) ?? []].reverse()) {
      // RetainExceptOnCreate keeps the table unless the stack's creation rolls back.
      const kept = table.deletionPolicy === 'Retain' || (table.deletionPolicy === 'RetainExceptOnCreate' && phase !== 'ROLLBACK');
      if (!kept) await this.ledger!.deleteTable(table.tableName);
      this.progress(`${stackName}: table ${table.tableName} (${table.logicalId}) ${kept ? `kept (DeletionPolicy ${table.deletionPolicy})` : 'deleted'}`);
    }
    this.tables.delete(stackName);
    return deleted;
  }

  /**
   * Creates an AWS::DynamoDB::Table on the local DynamoDB: its TableName, else a name as
   * CloudFormation makes one (stack, logical id, a random suffix). `Ref` is the name,
   * `Fn::GetAtt Arn` its ARN in the stack's account. What the local DynamoDB does not
   * model (encryption, point-in-time recovery, time to live) is left out.
   */
  private async createTable(stackName: string, account: string, logicalId: string, resource: TemplateResource, context: ResolveContext) {
    if (!this.ledger) throw new Error(`${stackName}: ${logicalId} is an ${TABLE_TYPE}: give LocalCloudFormation a local DynamoDB (a LedgerServer) to create it on`);
    // Only what the table is made of: the rest (encryption keys, tags) may use what is not resolvable here.
    const used = ['TableName', 'KeySchema', 'AttributeDefinitions', 'BillingMode', 'ProvisionedThroughput', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes'];
    const given = Object.entries(resource.Properties ?? {}).filter(([name]) => used.includes(name));
    const properties = resolve(Object.fromEntries(given), context) as Partial<TableDefinition>;
    const tableName = properties.TableName ?? `${stackName}-${logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const definition: TableDefinition = {
      TableName: tableName,
      KeySchema: properties.KeySchema ?? [],
      AttributeDefinitions: properties.AttributeDefinitions ?? [],
      ...(properties.BillingMode ? { BillingMode: properties.BillingMode } : {}),
      ...(properties.ProvisionedThroughput ? { ProvisionedThroughput: properties.ProvisionedThroughput } : {}),
      ...(properties.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes } : {}),
      ...(properties.LocalSecondaryIndexes ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes } : {}),
    };
    await this.ledger.createTable(definition);
    this.tables.get(stackName)!.push({ logicalId, tableName, deletionPolicy: resource.DeletionPolicy });
    this.progress(`${stackName}: table ${tableName} (${logicalId}) created`);
    return { tableName, arn: `arn:aws:dynamodb:${REGION}:${account}:table/${tableName}` };
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

  private simulate(stackName: string, logicalId: string, resource: TemplateResource, context: ResolveContext) {
    const physicalId = `${stackName}-${logicalId}`;
    const arn = `arn:aws:${serviceOf(resource.Type)}:${REGION}:${ACCOUNT}:${physicalId}`;
    if (resource.Type === 'AWS::Lambda::Function') {
      const assetPath = String(resource.Metadata?.['aws:asset:path'] ?? '');
      const [file, exportName] = String(resource.Properties?.Handler ?? 'index.handler').split('.');
      if (!assetPath || exportName !== 'handler') {
        throw new Error(`${logicalId}: a function needs an asset and a handler named <file>.handler`);
      }
      const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physicalId}`;
      // The function's variables as Lambda sets them, and where it finds DynamoDB here.
      const declared = (resource.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
      const variables = resolve(declared, context) as Record<string, unknown>;
      const environment = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)]));
      if (this.ledger) environment.AWS_ENDPOINT_URL_DYNAMODB = this.ledger.endpoint;
      this.lambda.register({
        arn: functionArn,
        handlerFile: handlerFileIn(path.resolve(this.cdkOut, assetPath), file),
        timeoutMs: Number(resource.Properties?.Timeout ?? 3) * 1000,
        environment,
      });
      return { physicalId, attributes: { Arn: functionArn } };
    }
    return { physicalId, attributes: { Arn: arn } };
  }
}

const TABLE_TYPE = 'AWS::DynamoDB::Table';

/** A simulated resource's properties resolved, or why they cannot be here. */
function resolvedProperties(resource: TemplateResource, context: ResolveContext): { properties?: Record<string, unknown>; unresolved?: string } {
  try {
    return { properties: resolve(resource.Properties ?? {}, context) as Record<string, unknown> };
  } catch (error) {
    return { unresolved: (error as Error).message };
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
