/**
 * workspaces-account-links check: the gate of the AccountLink construct as a command, for
 * CI jobs and pipeline steps that must stop before a deployment starts.
 */
import { parseArgs } from 'node:util';
import { checkLink, CheckResult } from './check-link';
import { parseSeconds } from './durations';
import type { AccountLinkLookup } from '../lambda/resource-properties';
import { AccountLinkStatus } from '../src/account-link-status';
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from '../src/contract';

const HELP = `Usage: workspaces-account-links check (--link-id ID | --linked-account-id ACCOUNT) [options]

Checks that a WorkSpaces account link has a status (LINKED by default), optionally waiting
while the invitation is pending. Uses the AWS SDK's usual credentials and Region.

Options:
  --link-id ID                the link's id (link-...)
  --linked-account-id ACCOUNT the 12-digit account on either side of the link
  --require STATUS            the status required (default LINKED): ${Object.values(AccountLinkStatus).join(', ')}
  --wait DURATION             wait up to DURATION while the link is PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT
                              (e.g. 90s, 10m, 1h; default: no wait)
  --poll DURATION             time between two reads while waiting (default 15s)
  --region REGION             the WorkSpaces Region (default: the SDK's)
  --json                      print the verdict as JSON
  -h, --help                  this text

Exit status: 0 the link has the required status; 1 it does not (another status, a missing
link, or the wait ran out); 2 usage errors and failures to check (access denied, no
credentials, the service failing).`;

class UsageError extends Error {}

interface Check {
  readonly lookup: AccountLinkLookup;
  readonly requiredStatus: AccountLinkStatus;
  readonly waitSeconds: number;
  readonly pollSeconds: number;
  readonly region?: string;
  readonly json: boolean;
}

function parse(argv: string[]): Check | 'help' {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          'link-id': { type: 'string' },
          'linked-account-id': { type: 'string' },
          'require': { type: 'string', default: AccountLinkStatus.LINKED },
          'wait': { type: 'string' },
          'poll': { type: 'string', default: '15s' },
          'region': { type: 'string' },
          'json': { type: 'boolean', default: false },
          'help': { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  if (values.help) return 'help';
  if (positionals.length !== 1 || positionals[0] !== 'check') {
    throw new UsageError(positionals.length === 0 ? 'missing command: check' : `unknown command ${positionals.join(' ')}; expected check`);
  }
  const linkId = values['link-id'];
  const accountId = values['linked-account-id'];
  if ((linkId === undefined) === (accountId === undefined)) {
    throw new UsageError('give exactly one of --link-id and --linked-account-id');
  }
  if (linkId !== undefined && !LINK_ID_PATTERN.test(linkId)) {
    throw new UsageError(`--link-id ${JSON.stringify(linkId)} does not match ${LINK_ID_PATTERN.source}`);
  }
  if (accountId !== undefined && !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new UsageError(`--linked-account-id ${JSON.stringify(accountId)} does not match ${ACCOUNT_ID_PATTERN.source}`);
  }
  const required = values.require!;
  if (!(Object.values(AccountLinkStatus) as string[]).includes(required)) {
    throw new UsageError(`--require ${JSON.stringify(required)} is not one of ${Object.values(AccountLinkStatus).join(', ')}`);
  }
  const waitSeconds = values.wait === undefined ? 0 : parseSeconds(values.wait);
  const pollSeconds = parseSeconds(values.poll!);
  if (waitSeconds === undefined) throw new UsageError(`--wait ${JSON.stringify(values.wait)} is not a duration such as 90s, 10m or 1h`);
  if (pollSeconds === undefined || pollSeconds < 1) throw new UsageError(`--poll ${JSON.stringify(values.poll)} is not a duration of at least 1s`);
  if (waitSeconds > 0 && pollSeconds >= waitSeconds) throw new UsageError(`--poll (${values.poll}) must be shorter than --wait (${values.wait})`);
  return {
    lookup: linkId !== undefined ? { linkId } : { linkedAccountId: accountId! },
    requiredStatus: required as AccountLinkStatus,
    waitSeconds,
    pollSeconds,
    region: values.region,
    json: values.json!,
  };
}

/** One line a person can act on. */
function verdict(result: CheckResult): string {
  if (result.ok) {
    const link = result.link!;
    return `PASS link ${link.AccountLinkId} is ${link.AccountLinkStatus} (source ${link.SourceAccountId}, target ${link.TargetAccountId}; ${result.reads} reads, ${result.waitedSeconds} s)`;
  }
  return `${result.exitCode === 1 ? 'FAIL' : 'ERROR'} ${result.reason}`;
}

async function main(argv: string[]): Promise<number> {
  let check: Check | 'help';
  try {
    check = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`workspaces-account-links: ${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (check === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const result = await checkLink(check.lookup, {
    requiredStatus: check.requiredStatus, waitTimeoutSeconds: check.waitSeconds, pollIntervalSeconds: check.pollSeconds,
  }, check.region);
  if (check.json) {
    const { link, ...rest } = result;
    process.stdout.write(JSON.stringify({ ...rest, ...link }, null, 2) + '\n');
  } else {
    process.stdout.write(`${verdict(result)}\n`);
  }
  return result.exitCode;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  process.stderr.write(`workspaces-account-links: ${error.message}\n`);
  process.exit(2);
});
