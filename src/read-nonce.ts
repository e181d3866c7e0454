import { Construct } from 'constructs';
import { READ_NONCE_CONTEXT_KEY } from './contract';

/**
 * A value that differs on every synthesis, so that CloudFormation sees a changed property
 * and runs the custom resource again on every deployment. The context key pins it, for
 * deterministic snapshots: `cdk synth -c cdk-workspaces-account-links:readNonce=test`.
 */
export function readNonce(scope: Construct): string {
  const pinned = scope.node.tryGetContext(READ_NONCE_CONTEXT_KEY);
  return pinned !== undefined ? String(pinned) : new Date().toISOString();
}
