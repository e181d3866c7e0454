import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Stands in, in the Lambda bundle only (an esbuild alias), for the SDK's default credential
 * chain (`@aws-sdk/credential-provider-node`). The Lambda runtime always hands a function
 * its role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), so the chain's other links (profiles, SSO, processes, web identity,
 * instance metadata) and the clients they bring are never used there: dropping them keeps
 * the asset small. The check command, which runs wherever users run it, keeps the whole
 * chain. An assumed role's credentials come from STS (workspaces-client.ts), not from here.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}): AwsCredentialIdentityProvider => fromEnv(init);
