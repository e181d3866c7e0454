import { CfnResource } from 'aws-cdk-lib';

/** A compliance-pack finding on one of the library's own resources, and why it stays. */
export interface AcknowledgedFinding {
  /** The rule, as the pack names it: `AwsSolutions-IAM5`. */
  readonly rule: string;
  /** The finding of a granular rule: `Resource::*`; none for the whole rule. */
  readonly finding?: string;
  readonly reason: string;
}

/**
 * The construct metadata cdk-nag 3 reads acknowledgements from (on the resource and its
 * scopes): what aws-cdk-lib's `Validations.acknowledge` writes from 2.252 on, written here
 * directly so that apps on older versions get it too.
 */
export const ACKNOWLEDGED_RULES_METADATA = 'aws:cdk:acknowledged-rules';

/** The resource metadata cdk-nag 2 reads suppressions from (what its `NagSuppressions` writes). */
export const CDK_NAG_2_METADATA = 'cdk_nag';

/**
 * Acknowledges `findings` on `resource`, a resource of the library's own, in the metadata
 * each cdk-nag major reads: cdk-nag 3 (a validation plugin, aws-cdk-lib 2.257 and later)
 * and cdk-nag 2 (an Aspect, on any aws-cdk-lib of the supported range). Both are scoped to
 * the resource itself: no finding on another resource, a user's least of all, is hidden.
 */
export function acknowledgeFindings(resource: CfnResource, ...findings: AcknowledgedFinding[]): void {
  resource.node.addMetadata(ACKNOWLEDGED_RULES_METADATA,
    Object.fromEntries(findings.map((f) => [f.finding ? `${f.rule}[${f.finding}]` : f.rule, f.reason])));
  const earlier: unknown[] = resource.getMetadata(CDK_NAG_2_METADATA)?.rules_to_suppress ?? [];
  resource.addMetadata(CDK_NAG_2_METADATA, {
    rules_to_suppress: [
      ...earlier,
      ...findings.map((f) => ({ id: f.rule, reason: f.reason, ...(f.finding ? { applies_to: [f.finding] } : {}) })),
    ],
  });
}
