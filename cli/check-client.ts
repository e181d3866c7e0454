import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { assumedRoleCredentials } from '../core/assume-role';
import { WorkSpacesClient } from '../core/workspaces-client';
import type { AccessSettings } from '../src/contract';

/**
 * The check's client, set up as the AWS CLI and SDKs set theirs up wherever the command
 * runs (a CodeBuild project, a laptop): the Region of --region, else AWS_REGION or the
 * profile's; the SDK's default credential chain, or --assume-role's credentials obtained
 * with it.
 */
export async function createCheckClient(access: AccessSettings): Promise<WorkSpacesClient> {
  const region = access.region ?? await loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)().catch(() => undefined);
  if (!region) {
    throw new Error('no Region to check in: pass --region, or set AWS_REGION or a region in the AWS profile');
  }
  const credentials = access.assumeRoleArn !== undefined
    ? assumedRoleCredentials({ roleArn: access.assumeRoleArn, externalId: access.externalId, region })
    : fromNodeProviderChain();
  return new WorkSpacesClient({ region, credentials });
}
