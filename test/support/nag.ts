import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** An app whose synthesis fails on any unacknowledged cdk-nag AwsSolutions finding. */
export function nagApp(): App {
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** A stack in a nagApp(). */
export function nagStack(id = 'Links'): Stack {
  return new Stack(nagApp(), id);
}

/** One unacknowledged finding of a validation plugin: the construct path and the id that would acknowledge it. */
export interface NagFinding {
  readonly path: string;
  readonly id: string;
}

/**
 * The unacknowledged findings when `synth` synthesizes a nagApp() (none when it succeeds),
 * read from the validation report that stops the synthesis.
 */
export function nagFindings(synth: () => unknown): NagFinding[] {
  try {
    synth();
    return [];
  } catch (error) {
    const lines = String((error as Error).message).split('\n').map((line) => line.trim());
    const findings: NagFinding[] = [];
    lines.forEach((line, i) => {
      const id = /^Acknowledge with '(.+)'$/.exec(line)?.[1];
      if (id) findings.push({ path: lines[i - 1].split(' ')[0], id });
    });
    if (findings.length === 0) throw error;
    return findings;
  }
}
