/** The AWS settings the in-process tests set: the SDK's and our clients' credentials, Region and endpoints. */
export const AWS_ENV = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_PROFILE',
  'AWS_ENDPOINT_URL_WORKSPACES', 'AWS_ENDPOINT_URL_LAMBDA',
];

/**
 * Keeps the environment variables `names` as they are now and returns what puts them back
 * (unset ones unset): a test may change them freely in between.
 */
export function keepEnv(names: readonly string[] = AWS_ENV): () => void {
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  return () => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  };
}
