import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { functionCredentials } from './lambda-credentials';
import { WorkSpacesClient } from '../core/workspaces-client';
import type { AccessSettings } from '../src/contract';

/**
 * A client for one event, in the function: its own role's credentials, or an assumed
 * role's, and its own Region unless the resource names one. Nothing is shared between
 * events, so an assumed role's credentials can never leak into another event.
 */
export function createFunctionClient(access: AccessSettings = {}): WorkSpacesClient {
  const region = access.region ?? process.env.AWS_REGION;
  if (!region) {
    throw new Error('no Region to call: AWS_REGION is not set');
  }
  const roleArn = access.assumeRoleArn;
  if (roleArn === undefined) {
    return new WorkSpacesClient({ region, credentials: functionCredentials });
  }
  // Loaded on the first call: a read in the function's own account never loads the STS client.
  let assumed: AwsCredentialIdentityProvider | undefined;
  return new WorkSpacesClient({
    region,
    credentials: async () => {
      assumed ??= (await import('../core/assume-role.js')).assumedRoleCredentials({
        roleArn, externalId: access.externalId, region, masterCredentials: functionCredentials,
      });
      return assumed();
    },
  });
}
