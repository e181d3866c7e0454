import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { functionCredentials } from './lambda-credentials';
import type { CallPacer } from '../core/call-pacer';
import { WorkSpacesClient } from '../core/workspaces-client';
import type { AccessSettings } from '../src/contract';

/**
 * A client for one event, in the function: its own role's credentials, or an assumed
 * role's, and its own Region unless the resource names one. Nothing is shared between
 * events, so an assumed role's credentials can never leak into another event. With a
 * pacer, every attempt takes its turn with it.
 */
export function createFunctionClient(access: AccessSettings = {}, pacer?: CallPacer): WorkSpacesClient {
  const region = functionRegion(access);
  return new WorkSpacesClient({ region, credentials: accessCredentials(access, region), pacer });
}

/** The Region to call: the resource's, or the function's own. */
export function functionRegion(access: AccessSettings = {}): string {
  const region = access.region ?? process.env.AWS_REGION;
  if (!region) {
    throw new Error('no Region to call: AWS_REGION is not set');
  }
  return region;
}

/** The function's own credentials, or those of the role `access` names (assumed through STS in `region`). */
export function accessCredentials(access: AccessSettings, region: string): AwsCredentialIdentityProvider {
  const roleArn = access.assumeRoleArn;
  if (roleArn === undefined) return functionCredentials;
  // Loaded on the first call: a read in the function's own account never loads the STS client.
  let assumed: AwsCredentialIdentityProvider | undefined;
  return async () => {
    assumed ??= (await import('../core/assume-role.js')).assumedRoleCredentials({
      roleArn, externalId: access.externalId, region, masterCredentials: functionCredentials,
    });
    return assumed();
  };
}
