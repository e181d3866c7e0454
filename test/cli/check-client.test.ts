import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkEndpoint } from '../../cli/check-client';
import { keepEnv } from '../support/env';

// Where the check command calls WorkSpaces: what the SDK's own WorkSpaces client decides,
// from the environment and the shared config file.
const NAMES = [
  'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_WORKSPACES', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE',
];
const restoreEnv = keepEnv(NAMES);
beforeEach(() => {
  for (const name of NAMES) delete process.env[name];
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmpdir(), 'no-such-credentials-file');
});
afterAll(restoreEnv);

function withConfig(text: string, profile = 'byol'): void {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'aws-config-')), 'config');
  writeFileSync(file, text);
  Object.assign(process.env, { AWS_CONFIG_FILE: file, AWS_PROFILE: profile });
}

test('the Region\'s host by default, FIPS and dual-stack from the environment', async () => {
  withConfig('');
  await expect(checkEndpoint('eu-west-1')).resolves.toBe('https://workspaces.eu-west-1.amazonaws.com');
  process.env.AWS_USE_FIPS_ENDPOINT = 'true';
  await expect(checkEndpoint('us-gov-west-1')).resolves.toBe('https://workspaces-fips.us-gov-west-1.amazonaws.com');
});

test('a profile\'s endpoint_url, and its services section\'s, as the SDK reads them', async () => {
  withConfig('[profile byol]\nendpoint_url = http://127.0.0.1:4001\n');
  await expect(checkEndpoint('eu-west-1')).resolves.toBe('http://127.0.0.1:4001');

  withConfig('[profile byol]\nservices = local\n\n[services local]\nworkspaces =\n  endpoint_url = http://127.0.0.1:4002\n');
  await expect(checkEndpoint('eu-west-1')).resolves.toBe('http://127.0.0.1:4002');
});

test('a profile\'s use_fips_endpoint', async () => {
  withConfig('[profile byol]\nuse_fips_endpoint = true\n');
  await expect(checkEndpoint('us-east-1')).resolves.toBe('https://workspaces-fips.us-east-1.amazonaws.com');
});

test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true: neither the environment\'s nor the profile\'s endpoint', async () => {
  withConfig('[profile byol]\nendpoint_url = http://127.0.0.1:4001\n');
  Object.assign(process.env, { AWS_ENDPOINT_URL_WORKSPACES: 'http://127.0.0.1:4003', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
  await expect(checkEndpoint('eu-west-1')).resolves.toBe('https://workspaces.eu-west-1.amazonaws.com');
});

test('the environment\'s endpoint wins over the profile\'s', async () => {
  withConfig('[profile byol]\nendpoint_url = http://127.0.0.1:4001\n');
  process.env.AWS_ENDPOINT_URL_WORKSPACES = 'http://127.0.0.1:4003';
  await expect(checkEndpoint('eu-west-1')).resolves.toBe('http://127.0.0.1:4003');
});
