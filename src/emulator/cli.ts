#!/usr/bin/env node
/**
 * workspaces-account-links-emulator --links FILE [--port N] [--host H] [--account ACCESS_KEY_ID=ACCOUNT_ID ...] [--rate N/s,burst=B]
 *
 * Serves the links of a JSON file over the WorkSpaces JSON 1.1 protocol until stopped.
 * Point the AWS SDK at it with AWS_ENDPOINT_URL_WORKSPACES=<the printed endpoint>.
 */
import { parseArgs } from 'node:util';
import { AccountLinksEmulator, RateLimit } from './emulator';
import { readEmulatorFile } from './links-file';
import { ACCOUNT_ID_PATTERN } from '../contract';

const USAGE = `usage: workspaces-account-links-emulator --links FILE [--port N] [--host 127.0.0.1] [--account ACCESS_KEY_ID=ACCOUNT_ID ...] [--rate N/s,burst=B]

  --links FILE      the links to serve: { "AccountLinks": [ { "AccountLinkId", "AccountLinkStatus"
                    (or "StatusSequence"), "SourceAccountId", "TargetAccountId" }, ... ] }, and
                    optionally an organization for AWS Organizations' listings: "Organization":
                    { "OrganizationalUnits": [ { "Id", "ParentId", "Accounts": [ ... ] }, ... ] }
  --port N          0 to 65535 (default 0: any free port)
  --host H          the address to listen on (default 127.0.0.1)
  --account K=A     answer requests signed with access key id K as account A: each caller
                    sees only the links its account is on, and may create, accept, reject
                    and delete invitations (repeat for each account; without any, every
                    caller sees every link and writes are refused)
  --rate N/s,burst=B
                    answer ThrottlingException past N requests a second on average and B at
                    once (such as --rate 2/s,burst=5), to try a stack under throttling`;

class UsageError extends Error {}

interface EmulatorCliOptions {
  readonly links: string;
  readonly port: number;
  readonly host?: string;
  readonly accounts?: Record<string, string>;
  readonly rateLimit?: RateLimit;
}

function parse(argv: string[]): EmulatorCliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        links: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        account: { type: 'string', multiple: true },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
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
  return { links: values.links, port, host: values.host, accounts, rateLimit: values.rate === undefined ? undefined : parseRate(values.rate) };
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
    links, organization, port: options.port, host: options.host, accounts: options.accounts, rateLimit: options.rateLimit,
  });
  const accounts = options.accounts ? `, answering as ${Object.keys(options.accounts).length} accounts` : '';
  const rate = options.rateLimit ? `, throttling past ${options.rateLimit.perSecond}/s (burst ${options.rateLimit.burst})` : '';
  process.stdout.write(`WorkSpaces account-links emulator: ${links.length} links on ${emulator.endpoint}${accounts}${rate}\n`);
  process.stdout.write(`export AWS_ENDPOINT_URL_WORKSPACES=${emulator.endpoint}\n`);
  if (organization) process.stdout.write(`export AWS_ENDPOINT_URL_ORGANIZATIONS=${emulator.endpoint}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}${error instanceof UsageError ? `\n${USAGE}` : ''}\n`);
  process.exit(2);
});
