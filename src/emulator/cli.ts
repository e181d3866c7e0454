#!/usr/bin/env node
/**
 * workspaces-account-links-emulator --links FILE [--port N] [--host H] [--account ACCESS_KEY_ID=ACCOUNT_ID ...] [--rate N/s,burst=B]
 *   [--client-token-lifetime S] [--ledger-table NAME]
 *
 * Serves the links of a JSON file over the WorkSpaces JSON 1.1 protocol until stopped, with
 * EventBridge's PutEvents and the emulator's control calls on the same endpoint, and a
 * ledger table on a local DynamoDB (dynalite, when installed). Point the AWS SDK at them
 * with the variables it prints (AWS_ENDPOINT_URL_WORKSPACES=<the printed endpoint>, ...).
 */
import { parseArgs } from 'node:util';
import { CONTROL_PATHS } from './control';
import { AccountLinksEmulator, RateLimit } from './emulator';
import { DEFAULT_LEDGER_TABLE, LedgerServer } from './ledger';
import { readEmulatorFile } from './links-file';
import { ACCOUNT_ID_PATTERN, LEDGER_TABLE_ENV } from '../contract';

const USAGE = `usage: workspaces-account-links-emulator --links FILE [--port N] [--host 127.0.0.1] [--account ACCESS_KEY_ID=ACCOUNT_ID ...] [--rate N/s,burst=B]
                                         [--client-token-lifetime S] [--ledger-table NAME]

  --links FILE      the links to serve: { "AccountLinks": [ { "AccountLinkId", "AccountLinkStatus"
                    (or "StatusSequence"), "SourceAccountId", "TargetAccountId" }, ... ] }, and
                    optionally an organization for AWS Organizations' listings: "Organization":
                    { "OrganizationalUnits": [ { "Id", "ParentId", "Accounts": [ ... ] }, ... ],
                    "ManagementAccountId"?, "RootId"?, "RootAccounts"?, "Id"? }
  --port N          0 to 65535 (default 0: any free port)
  --host H          the address to listen on (default 127.0.0.1)
  --account K=A     answer requests signed with access key id K as account A: each caller
                    sees only the links its account is on, and may create, accept, reject
                    and delete invitations (repeat for each account; without any, every
                    caller sees every link and writes are refused)
  --rate N/s,burst=B
                    answer ThrottlingException past N requests a second on average and B at
                    once (such as --rate 2/s,burst=5), to try a stack under throttling
  --client-token-lifetime S
                    forget a CreateAccountLinkInvitation ClientToken S seconds after it created
                    its invitation (0: at once); a Create with a forgotten token is a new
                    request (default: tokens are never forgotten)
  --ledger-table NAME
                    the ledger table it creates on its local DynamoDB, printed as
                    ${LEDGER_TABLE_ENV} (default ${DEFAULT_LEDGER_TABLE}); the local DynamoDB
                    is dynalite (npm install dynalite), and without it everything else is served

The endpoint also answers EventBridge's PutEvents (AWS_ENDPOINT_URL_EVENTBRIDGE), keeping the
events it accepts, and calls of its own, for tests in other processes:
  POST ${CONTROL_PATHS.ORGANIZATION}
                    changes the organization, with a JSON body: { "action": "addAccount",
                    "accountId", "parentId"?, "state"? }, { "action": "moveAccount", "accountId",
                    "parentId" }, { "action": "removeAccount", "accountId" }, { "action":
                    "setAccountState", "accountId", "state" }, { "action": "addUnit", "unitId",
                    "parentId"? } or { "action": "deleteUnit", "unitId" }; it answers the account
                    or unit and its "parentId" now, or 400 { "error" } saying why not
  GET ${CONTROL_PATHS.EVENTS}    the events PutEvents accepted: { "Events": [ ... ] }`;

class UsageError extends Error {}

interface EmulatorCliOptions {
  readonly links: string;
  readonly port: number;
  readonly host?: string;
  readonly accounts?: Record<string, string>;
  readonly rateLimit?: RateLimit;
  readonly clientTokenLifetimeMs?: number;
  readonly ledgerTable?: string;
}

function parse(argv: string[]): EmulatorCliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'links': { type: 'string' },
        'port': { type: 'string' },
        'host': { type: 'string' },
        'account': { type: 'string', multiple: true },
        'rate': { type: 'string' },
        'client-token-lifetime': { type: 'string' },
        'ledger-table': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.links) throw new UsageError('--links is required');
  // Decimal digits only: Number() would also take "", "0x1F90" or "1e3".
  const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port ${JSON.stringify(values.port)} is not a port number (0 to 65535)`);
  const accounts = values.account?.length ? Object.fromEntries(values.account.map(parseAccount)) : undefined;
  const lifetime = values['client-token-lifetime'];
  if (lifetime !== undefined && !/^\d{1,9}$/.test(lifetime)) {
    throw new UsageError(`--client-token-lifetime ${JSON.stringify(lifetime)} is not a number of seconds (such as 28800 for 8 hours)`);
  }
  const ledgerTable = values['ledger-table'];
  // DynamoDB's table names: 3 to 255 letters, digits, _ . and -.
  if (ledgerTable !== undefined && !/^[a-zA-Z0-9_.-]{3,255}$/.test(ledgerTable)) {
    throw new UsageError(`--ledger-table ${JSON.stringify(ledgerTable)} is not a DynamoDB table name (3 to 255 letters, digits, _ . -)`);
  }
  return {
    links: values.links,
    port,
    host: values.host,
    accounts,
    rateLimit: values.rate === undefined ? undefined : parseRate(values.rate),
    clientTokenLifetimeMs: lifetime === undefined ? undefined : Number(lifetime) * 1000,
    ledgerTable,
  };
}

/** `2/s,burst=5` (the burst defaults to the rate, at least 1). */
function parseRate(text: string): RateLimit {
  const match = /^(\d+(?:\.\d+)?)\/s(?:,burst=(\d+))?$/.exec(text);
  const perSecond = Number(match?.[1]);
  const burst = match?.[2] !== undefined ? Number(match[2]) : Math.max(1, Math.ceil(perSecond));
  if (!match || !(perSecond > 0) || !(burst >= 1)) {
    throw new UsageError(`--rate ${JSON.stringify(text)} is not N/s,burst=B with N above 0 and B at least 1 (e.g. 2/s,burst=5)`);
  }
  return { perSecond, burst };
}

function parseAccount(text: string): [string, string] {
  const match = /^([A-Z0-9]{4,128})=(\d+)$/.exec(text);
  if (!match || !ACCOUNT_ID_PATTERN.test(match[2])) {
    throw new UsageError(`--account ${JSON.stringify(text)} is not ACCESS_KEY_ID=ACCOUNT_ID (e.g. AKIDSOURCE=111122223333)`);
  }
  return [match[1], match[2]];
}

async function main(argv: string[]): Promise<void> {
  const options = parse(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { links, organization } = readEmulatorFile(options.links);
  const emulator = await AccountLinksEmulator.start({
    links,
    organization,
    port: options.port,
    host: options.host,
    accounts: options.accounts,
    rateLimit: options.rateLimit,
    clientTokenLifetimeMs: options.clientTokenLifetimeMs,
  });
  const ledger = await startLedger(options);
  const accounts = options.accounts ? `, answering as ${Object.keys(options.accounts).length} accounts` : '';
  const rate = options.rateLimit ? `, throttling past ${options.rateLimit.perSecond}/s (burst ${options.rateLimit.burst})` : '';
  process.stdout.write(`WorkSpaces account-links emulator: ${links.length} links on ${emulator.endpoint}${accounts}${rate}\n`);
  process.stdout.write(`export AWS_ENDPOINT_URL_WORKSPACES=${emulator.endpoint}\n`);
  if (organization) process.stdout.write(`export AWS_ENDPOINT_URL_ORGANIZATIONS=${emulator.endpoint}\n`);
  process.stdout.write(`export AWS_ENDPOINT_URL_EVENTBRIDGE=${emulator.endpoint}\n`);
  if (ledger) {
    process.stdout.write(`export AWS_ENDPOINT_URL_DYNAMODB=${ledger.endpoint}\n`);
    process.stdout.write(`export ${LEDGER_TABLE_ENV}=${ledger.tableName}\n`);
  }
  const stop = () => void Promise.all([emulator.close(), ledger?.close()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The ledger's local DynamoDB on the emulator's host, or undefined (said in one line) when dynalite is not installed. */
async function startLedger(options: EmulatorCliOptions): Promise<LedgerServer | undefined> {
  try {
    return await LedgerServer.start({ tableName: options.ledgerTable ?? DEFAULT_LEDGER_TABLE, host: options.host });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return undefined;
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}${error instanceof UsageError ? `\n${USAGE}` : ''}\n`);
  process.exit(2);
});
