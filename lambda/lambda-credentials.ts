import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * The function role's credentials, as the Lambda runtime hands them to every function: in
 * the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). Read here
 * rather than with the SDK's `fromEnv`, whose package loads the SDK's shared-config code
 * (files, profiles) into every cold start for three environment variables.
 */
export const functionCredentials: AwsCredentialIdentityProvider = async () => {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('no credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), where the Lambda runtime puts them');
  }
  const expiration = process.env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  } satisfies AwsCredentialIdentity;
};

/**
 * Stands in, in the Lambda bundle only (an esbuild alias), for the SDK's default credential
 * chain (`@aws-sdk/credential-provider-node`), which the STS client of an assumed role
 * would otherwise bring: the chain's other links (profiles, SSO, processes, web identity,
 * instance metadata) are never used in Lambda, and dropping them keeps the asset small.
 * The check command, which runs wherever users run it, keeps the whole chain.
 */
export const defaultProvider = (): AwsCredentialIdentityProvider => functionCredentials;
