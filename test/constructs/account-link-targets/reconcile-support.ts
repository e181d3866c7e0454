import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RECONCILE_KEY, ReconcileRequest } from '../../../src/contract';

/**
 * A template value as the string CloudFormation would make of it, each reference written
 * `${Ref}` or `${Id.Attribute}`: enough to read a JSON document that carries references.
 */
export function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(joined).join(v['Fn::Join'][0]);
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  throw new Error(`not a string, a reference or a join: ${JSON.stringify(value)}`);
}

/** The reconcile request a payload carries (the payload must hold RECONCILE_KEY and nothing else). */
export function requestOf(payload: string): ReconcileRequest {
  const parsed = JSON.parse(payload);
  expect(Object.keys(parsed)).toEqual([RECONCILE_KEY]);
  return parsed[RECONCILE_KEY];
}

/**
 * What EventBridge's input transformer makes of `event` for a rule target: each `<name>` of
 * the template replaced by the JSON of the value at its path (the paths here are top-level
 * fields, `$.id` and `$.time`).
 */
export function transformed(
  inputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: unknown }, event: Record<string, unknown>,
): string {
  let text = joined(inputTransformer.InputTemplate);
  for (const [name, path] of Object.entries(inputTransformer.InputPathsMap)) {
    const field = /^\$\.([\w-]+)$/.exec(path)?.[1];
    if (field === undefined) throw new Error(`unexpected path ${path}`);
    text = text.split(`<${name}>`).join(JSON.stringify(event[field]));
  }
  return text;
}

/** The logical id of the stack's one resource of `type`. */
export function onlyId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The logical id of the construct at `path` under the stack: of its CloudFormation resource, or of its default child's. */
export function idOf(stack: Stack, path: string): string {
  const child = stack.node.findAll().find((c) => c.node.path === `${stack.node.path}/${path}`);
  if (!child) throw new Error(`no construct at ${path}`);
  const element = CfnElement.isCfnElement(child) ? child : child.node.defaultChild;
  if (!CfnElement.isCfnElement(element)) throw new Error(`no CloudFormation resource at ${path}`);
  return stack.resolve(element.logicalId);
}
