import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { functionCredentials } from './lambda-credentials';
import type { ApiContext } from '../core/account-link-api';
import type { CallPacer } from '../core/call-pacer';
import { CredentialCall, WorkSpacesClient } from '../core/workspaces-client';
import type { AccessSettings } from '../src/contract';

/**
 * A client for one event, in the function: its own role's credentials, or an assumed
 * role's, and its own Region unless the resource names one. Nothing is shared between
 * events, so an assumed role's credentials can never leak into another event. With a
 * pacer, every attempt takes its turn with it. With the event's counter, an STS call for
 * the credentials is named as the call in flight while it lasts (see accessCredentials).
 */
export function createFunctionClient(access: AccessSettings = {}, pacer?: CallPacer, counter?: ApiContext['counter']): WorkSpacesClient {
  const region = functionRegion(access);
  return new WorkSpacesClient({ region, credentials: accessCredentials(access, region, counter), pacer });
}

/** The Region to call: the resource's, or the function's own. */
export function functionRegion(access: AccessSettings = {}): string {
  const region = access.region ?? process.env.AWS_REGION;
  if (!region) {
    throw new Error('no Region to call: AWS_REGION is not set');
  }
  return region;
}

/**
 * The function's own credentials, or those of the role `access` names (assumed through STS
 * in `region`, under the signal and `until` of the call that needs them: CredentialCall).
 * While STS is called, `counter.inFlight` names it, with the call it is for, so that a
 * deadline that cuts it off says so.
 */
export function accessCredentials(access: AccessSettings, region: string, counter?: ApiContext['counter']): AwsCredentialIdentityProvider {
  const roleArn = access.assumeRoleArn;
  if (roleArn === undefined) return functionCredentials;
  // Loaded on the first call: a read in the function's own account never loads the STS client.
  let assumed: AwsCredentialIdentityProvider | undefined;
  return async (call?: CredentialCall) => {
    assumed ??= (await import('../core/assume-role.js')).assumedRoleCredentials({
      roleArn, externalId: access.externalId, region, masterCredentials: functionCredentials,
    });
    const forCall = counter?.inFlight;
    if (counter) counter.inFlight = `STS AssumeRole of ${roleArn}${forCall ? `, for ${forCall}` : ''}`;
    try {
      return await assumed(call);
    } finally {
      if (counter) counter.inFlight = forCall;
    }
  };
}
