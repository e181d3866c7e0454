import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A CloudFormation template, as far as the local deployment reads it. */
export interface Template {
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  /** What deleting the stack does to the resource: Delete (the default), Retain, RetainExceptOnCreate, Snapshot. */
  readonly DeletionPolicy?: string;
}

export interface AssemblyStack {
  /** The artifact id in the manifest. */
  readonly id: string;
  readonly stackName: string;
  /** The stack's account, if its environment names one. */
  readonly account?: string;
  readonly template: Template;
  /** Stacks this one depends on (deployed first). */
  readonly dependencies: string[];
}

/** The stacks of a synthesized cloud assembly (`cdk.out`), dependencies first. */
export function readAssembly(cdkOut: string): AssemblyStack[] {
  const manifest = JSON.parse(readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const stacks = Object.entries(artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]): AssemblyStack => ({
      id,
      stackName: artifact.properties?.stackName ?? id,
      account: /^aws:\/\/(\d{12})\//.exec(artifact.environment ?? '')?.[1],
      template: JSON.parse(readFileSync(path.join(cdkOut, artifact.properties.templateFile), 'utf8')) as Template,
      dependencies: (artifact.dependencies ?? []).filter((d: string) => artifacts[d]?.type === 'aws:cloudformation:stack'),
    }));
  const ordered: AssemblyStack[] = [];
  const visit = (stack: AssemblyStack) => {
    if (ordered.includes(stack)) return;
    stack.dependencies.forEach((d) => visit(stacks.find((s) => s.id === d)!));
    ordered.push(stack);
  };
  stacks.forEach(visit);
  return ordered;
}
