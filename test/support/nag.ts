import * as cdk from 'aws-cdk-lib';
import { App, AppProps, Aspects, IAspect, Stack } from 'aws-cdk-lib';
import * as cdkNag from 'cdk-nag';
import { IConstruct } from 'constructs';
import { packageVersion } from './cdk-version';
import { ACKNOWLEDGED_RULES_METADATA } from '../../src/compliance-findings';

/**
 * The compliance packs' findings on the default provider that a provider option removes
 * (docs/locked-down-accounts.md, "Compliance packs"), by the option. test/constructs/compliance.test.ts shows each
 * with and without its option; every other construct test acknowledges them, so that a
 * finding of any other kind fails it.
 */
export const FINDINGS_REMOVED_BY_OPTION = {
  vpc: [
    'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC',
    'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
    'PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC',
  ],
  encryptionKey: [
    'NIST.800.53.R5::NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    'HIPAA.Security::HIPAA.Security-CloudWatchLogGroupEncrypted',
    'PCI.DSS.321::PCI.DSS.321-CloudWatchLogGroupEncrypted',
  ],
  reservedConcurrentExecutions: [
    'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency',
    'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
  ],
} as const;

/**
 * The cdk-nag major version the tests run: 2 (an Aspect, what apps on the floor aws-cdk-lib
 * run) with the build's devDependencies, 3 (a validation plugin) in the run against the
 * newest aws-cdk-lib (test/newest).
 */
export const CDK_NAG_MAJOR = Number(packageVersion('cdk-nag').split('.')[0]);

const PACKS = ['AwsSolutionsChecks', 'NIST80053R5Checks', 'HIPAASecurityChecks', 'PCIDSS321Checks'] as const;

export interface NagAppOptions extends AppProps {
  /**
   * Acknowledge FINDINGS_REMOVED_BY_OPTION, which the default provider has.
   * @default true
   */
  readonly acknowledgeProviderDefaults?: boolean;
}

/**
 * An app whose synthesis fails on any unacknowledged finding of cdk-nag's AwsSolutions,
 * NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs, with either cdk-nag major.
 */
export function nagApp(options: NagAppOptions = {}): App {
  const { acknowledgeProviderDefaults = true, ...appProps } = options;
  const app = new App(appProps);
  if (acknowledgeProviderDefaults) {
    // On the app, where cdk-nag 3 looks last (it reads the resource and its scopes); the
    // check below reads it for cdk-nag 2.
    const reasons = Object.entries(FINDINGS_REMOVED_BY_OPTION).flatMap(([option, ids]) => ids.map((id) => [
      ruleOf(id), `the default provider's; AccountLinksProvider's ${option} removes it (test/constructs/compliance.test.ts)`,
    ]));
    app.node.addMetadata(ACKNOWLEDGED_RULES_METADATA, Object.fromEntries(reasons));
  }
  const packs = cdkNag as unknown as Record<typeof PACKS[number], new (arg?: unknown) => IAspect>;
  if (CDK_NAG_MAJOR >= 3) {
    // aws-cdk-lib's Validations (2.252 and later): not in the floor's typings.
    const { Validations } = cdk as unknown as { Validations: { of(scope: IConstruct): { addPlugins(...plugins: unknown[]): void } } };
    Validations.of(app).addPlugins(...PACKS.map((pack) => new packs[pack](app)));
  } else {
    for (const pack of PACKS) Aspects.of(app).add(new packs[pack]());
    // cdk-nag 2 reports its findings as annotations, which do not stop a synthesis: this
    // validation (run after the aspects) does, as cdk-nag 3's report does.
    app.node.addValidation({
      validate: () => cdkNag2Findings(app).map((f) => `cdk-nag 2 finding at ${f.path}: ${f.id}`),
    });
  }
  return app;
}

/** A stack in a nagApp(). */
export function nagStack(id = 'Links', options?: NagAppOptions): Stack {
  return new Stack(nagApp(options), id);
}

/** One unacknowledged finding of a pack: the construct path and the id that would acknowledge it (`pack::rule`). */
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
      // cdk-nag 3's report: the construct path, then the line that names the id.
      const id = /^Acknowledge with '(.+)'$/.exec(line)?.[1];
      if (id) findings.push({ path: lines[i - 1].split(' ')[0], id });
      const v2 = /cdk-nag 2 finding at (\S+): (\S+)$/.exec(line);
      if (v2) findings.push({ path: v2[1], id: v2[2] });
    });
    if (findings.length === 0) throw error;
    return findings;
  }
}

/** `pack::rule[finding]` without the pack: the rule id cdk-nag 3 compares acknowledgements with. */
function ruleOf(id: string): string {
  return id.slice(id.indexOf('::') + 2);
}

/**
 * cdk-nag 2's findings in the app (its error and warning annotations, a rule that could not
 * run included), but those the app acknowledges; ids as cdk-nag 3 writes them (`pack::rule`).
 */
function cdkNag2Findings(app: App): NagFinding[] {
  const acknowledged = new Set(app.node.metadata.filter((m) => m.type === ACKNOWLEDGED_RULES_METADATA).flatMap((m) => Object.keys(m.data)));
  const findings: NagFinding[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:error' && entry.type !== 'aws:cdk:warning') continue;
      // `AwsSolutions-IAM5[Resource::*]: The IAM entity …`, or a rule that could not run
      // (cdk-nag 3 reports it as a finding of the rule): `CdkNagValidationFailure[AwsSolutions-L1]: …`
      const message = String(entry.data);
      const rule = /^CdkNagValidationFailure\[([^\]]+)\]: /.exec(message)?.[1] ?? /^([A-Za-z0-9.]+-[A-Za-z0-9]+(?:\[[^\]]*\])?): /.exec(message)?.[1];
      if (!rule || acknowledged.has(rule)) continue;
      findings.push({ path: construct.node.path, id: `${rule.slice(0, rule.indexOf('-'))}::${rule}` });
    }
  }
  return findings;
}
