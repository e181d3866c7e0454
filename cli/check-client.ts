import { GetAccountLinkCommand, WorkSpacesClient as SdkWorkSpacesClient } from '@aws-sdk/client-workspaces';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { assumedRoleCredentials } from '../core/assume-role';
import { WorkSpacesClient } from '../core/workspaces-client';
import type { AccessSettings } from '../src/contract';

/**
 * The check's client, set up as the AWS CLI and SDKs set theirs up wherever the command
 * runs (a CodeBuild project, a laptop): the Region of --region, else AWS_REGION or the
 * profile's; the SDK's default credential chain, or --assume-role's credentials obtained
 * with it; the endpoint the SDK's own WorkSpaces client would call (checkEndpoint).
 */
export async function createCheckClient(access: AccessSettings): Promise<WorkSpacesClient> {
  const region = access.region ?? await loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)().catch(() => undefined);
  if (!region) {
    throw new Error('no Region to check in: pass --region, or set AWS_REGION or a region in the AWS profile');
  }
  const credentials = access.assumeRoleArn !== undefined
    ? assumedRoleCredentials({ roleArn: access.assumeRoleArn, externalId: access.externalId, region })
    : fromNodeProviderChain();
  return new WorkSpacesClient({ region, credentials, endpoint: await checkEndpoint(region) });
}

/**
 * Where the command calls WorkSpaces in `region`: what the SDK's own WorkSpaces client
 * decides, wherever the command runs. That is `AWS_ENDPOINT_URL_WORKSPACES` or
 * `AWS_ENDPOINT_URL`, else the profile's `endpoint_url` (or its `services` section's), none
 * of them under `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, else the service's host for the
 * Region with FIPS and dual-stack as the environment or the profile asks. (The handler,
 * whose cold start counts, reads the environment only: core/endpoints.ts.)
 */
export async function checkEndpoint(region: string): Promise<string> {
  const sdk = new SdkWorkSpacesClient({ region });
  try {
    // The command class carries its endpoint parameters (the types of the two packages differ in detail).
    const endpoint = await getEndpointFromInstructions({}, GetAccountLinkCommand as never, sdk.config as never);
    return endpoint.url.href.replace(/\/$/, '');
  } finally {
    sdk.destroy();
  }
}
