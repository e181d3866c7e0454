import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

// Loaded only when a resource sets assumeRoleArn (workspaces-client.ts imports it
// dynamically); a static, named import here lets the bundler keep just this provider.
export { fromTemporaryCredentials };
