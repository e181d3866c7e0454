import { functionCredentials } from '../../lambda/lambda-credentials';
import { keepEnv } from '../support/env';

const restoreEnv = keepEnv();

afterEach(() => {
  restoreEnv();
});

test('the function\'s credentials are the ones the Lambda runtime puts in the environment', async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'ASIAFUNCTION', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_CREDENTIAL_EXPIRATION: '2026-12-01T18:00:00Z',
  });
  await expect(functionCredentials()).resolves.toEqual({
    accessKeyId: 'ASIAFUNCTION', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-12-01T18:00:00Z'),
  });
});

test('without them, a clear error rather than unsigned calls', async () => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await expect(functionCredentials()).rejects.toThrow('no credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
});
