import { partition } from '@aws-sdk/core/client';

/**
 * Where the check's WorkSpaces calls go, for messages: the endpoint override the SDK
 * honours, or the Region's public endpoint.
 */
export function workspacesEndpoint(region: string | undefined): string {
  const override = process.env.AWS_ENDPOINT_URL_WORKSPACES || process.env.AWS_ENDPOINT_URL;
  if (override) return override;
  return region ? `https://workspaces.${region}.${partition(region).dnsSuffix}` : 'WorkSpaces (no Region configured)';
}
