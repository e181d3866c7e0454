import { App, AppProps, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/**
 * The compliance packs' findings on the default provider that a provider option removes
 * (README "Compliance packs"), by the option. test/constructs/compliance.test.ts shows each
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

export interface NagAppOptions extends AppProps {
  /**
   * Acknowledge FINDINGS_REMOVED_BY_OPTION, which the default provider has.
   * @default true
   */
  readonly acknowledgeProviderDefaults?: boolean;
}

/**
 * An app whose synthesis fails on any unacknowledged finding of cdk-nag's AwsSolutions,
 * NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs.
 */
export function nagApp(options: NagAppOptions = {}): App {
  const { acknowledgeProviderDefaults = true, ...appProps } = options;
  const app = new App(appProps);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app));
  if (acknowledgeProviderDefaults) {
    for (const [option, ids] of Object.entries(FINDINGS_REMOVED_BY_OPTION)) {
      Validations.of(app).acknowledge(...ids.map((id) => ({
        id, reason: `the default provider's; AccountLinksProvider's ${option} removes it (test/constructs/compliance.test.ts)`,
      })));
    }
  }
  return app;
}

/** A stack in a nagApp(). */
export function nagStack(id = 'Links', options?: NagAppOptions): Stack {
  return new Stack(nagApp(options), id);
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
