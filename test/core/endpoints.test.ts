import { resolvedEndpoint, Service, serviceEndpoint } from '../../core/endpoints';
import { ORGANIZATIONS_SERVICE } from '../../core/organization-accounts';
import { WORKSPACES_SERVICE } from '../../core/workspaces-client';
import { LAMBDA_SERVICE } from '../../lambda/invoke-self';
import { DYNAMODB_SERVICE } from '../../lambda/targets/ledger';
import { keepEnv } from '../support/env';

const SERVICES: Record<string, Service> = {
  workspaces: WORKSPACES_SERVICE, lambda: LAMBDA_SERVICE, organizations: ORGANIZATIONS_SERVICE, dynamodb: DYNAMODB_SERVICE,
};

const restoreEnv = keepEnv(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_WORKSPACES', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL_ORGANIZATIONS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']);
beforeEach(() => {
  for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_WORKSPACES', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL_ORGANIZATIONS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) delete process.env[name];
});
afterAll(restoreEnv);

// The hosts the SDK's own clients call (their endpoint rules), which the provider's useFipsEndpoint selects.
describe('endpoints as the SDK decides them', () => {
  test.each([
    ['workspaces', 'eu-west-1', {}, 'https://workspaces.eu-west-1.amazonaws.com'],
    ['workspaces', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://workspaces-fips.us-east-1.amazonaws.com'],
    ['workspaces', 'us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://workspaces-fips.us-gov-west-1.amazonaws.com'],
    ['workspaces', 'us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'https://workspaces.us-east-1.api.aws'],
    ['workspaces', 'cn-north-1', {}, 'https://workspaces.cn-north-1.amazonaws.com.cn'],
    ['lambda', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://lambda-fips.us-east-1.amazonaws.com'],
    ['lambda', 'us-gov-east-1', {}, 'https://lambda.us-gov-east-1.amazonaws.com'],
    ['dynamodb', 'eu-west-1', {}, 'https://dynamodb.eu-west-1.amazonaws.com'],
    ['dynamodb', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://dynamodb-fips.us-east-1.amazonaws.com'],
    ['workspaces', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'false' }, 'https://workspaces.us-east-1.amazonaws.com'],
  ] as const)('%s in %s with %j: %s', (service, region, env, expected) => {
    Object.assign(process.env, env);
    expect(serviceEndpoint(SERVICES[service], region)).toBe(expected);
  });

  test('an endpoint override wins, the service\'s own before the general one', () => {
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4000';
    expect(serviceEndpoint(SERVICES.lambda, 'us-east-1')).toBe('http://127.0.0.1:4000');
    process.env.AWS_ENDPOINT_URL_WORKSPACES = 'http://127.0.0.1:4001';
    expect(serviceEndpoint(SERVICES.workspaces, 'us-east-1')).toBe('http://127.0.0.1:4001');
  });

  test('an override is taken without the rules: a Region they cannot place, or a setting they would refuse, does not stop it', () => {
    process.env.AWS_ENDPOINT_URL_WORKSPACES = 'http://127.0.0.1:4001';
    process.env.AWS_USE_FIPS_ENDPOINT = 'yes';
    expect(serviceEndpoint(SERVICES.workspaces, 'not a region')).toBe('http://127.0.0.1:4001');
  });

  test('Organizations: its one global endpoint, signed for its partition\'s home Region; an override signs for the Region given, as the SDK does', () => {
    expect(resolvedEndpoint(SERVICES.organizations, 'eu-west-1')).toEqual({ url: 'https://organizations.us-east-1.amazonaws.com', signingRegion: 'us-east-1' });
    expect(resolvedEndpoint(SERVICES.organizations, 'cn-north-1')).toEqual({ url: 'https://organizations.cn-northwest-1.amazonaws.com.cn', signingRegion: 'cn-northwest-1' });
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4000';
    expect(resolvedEndpoint(SERVICES.organizations, 'eu-west-1')).toEqual({ url: 'http://127.0.0.1:4000', signingRegion: 'eu-west-1' });
  });

  test('a setting that is neither true nor false is refused with the SDK\'s own message', () => {
    process.env.AWS_USE_FIPS_ENDPOINT = 'yes';
    expect(() => serviceEndpoint(SERVICES.workspaces, 'us-east-1')).toThrow('Cannot load env "AWS_USE_FIPS_ENDPOINT". Expected "true" or "false", got yes.');
  });
});
