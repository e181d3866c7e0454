import { keepEnv } from './env';
import { Ledger, ledgerClient } from '../../lambda/targets/ledger';
import { LocalLedger } from '../../local-aws/ledger-server';

const credentials = async () => ({ accessKeyId: 'AKIDLEDGER', secretAccessKey: 'test-secret' });

/**
 * A real ledger table (dynalite: local-aws/ledger-server.ts) for the tests of the scope
 * that calls it: started before them, closed after, the ledger's DynamoDB client pointed at
 * it meanwhile. `ledgerOf(key)` is one invocation's view of a resource's ledger, with a
 * client of its own, as each invocation has.
 */
export function ledgerTable(): { ledgerOf(key: string): Ledger } {
  const restoreEnv = keepEnv(['AWS_ENDPOINT_URL_DYNAMODB']);
  let server: LocalLedger | undefined;
  beforeAll(async () => {
    server = await LocalLedger.start();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = server.endpoint;
  });
  afterAll(async () => {
    await server?.close();
    restoreEnv();
  });
  return { ledgerOf: (key) => new Ledger(ledgerClient('eu-west-1', credentials), server!.tableName, key, {}) };
}
