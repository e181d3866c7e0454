import { parseArgs } from 'node:util';
import { parseSeconds } from './durations';
import type { AccountLinkLookup, Gate } from '../core/domain';
import { AccountLinkStatus } from '../src/account-link-status';
import {
  ACCOUNT_ID_PATTERN, accessProblem, AccessSettings, CHECK_TIMEOUT_MARGIN_SECONDS, CHECK_WAIT_LIMITS, checkWait, DEFAULT_POLL_INTERVAL_SECONDS,
  LINK_ID_PATTERN, WaitSetting,
} from '../src/contract';

/** --timeout's upper bound: the longest wait and an hour. */
const MAX_TIMEOUT_SECONDS = CHECK_WAIT_LIMITS.maxWaitSeconds + 3600;

export const HELP = `Usage: workspaces-account-links check (--link-id ID | --linked-account-id ACCOUNT) [options]

Checks that a WorkSpaces account link has a status (LINKED by default), optionally waiting
while the invitation is pending. Uses the AWS SDK's usual credentials and Region; the
check sees the links of the account it runs as (--assume-role to check as another).

Options (--name VALUE or --name=VALUE):
  --link-id ID                the link's id (link-...)
  --linked-account-id ACCOUNT the 12-digit account on the other side of the link
  --require STATUS            the status required (default LINKED): ${Object.values(AccountLinkStatus).join(', ')}
  --wait DURATION             wait up to DURATION while the link is PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT
                              (e.g. 90s, 10m, 1h; at most 8h; default: no wait)
  --poll DURATION             time between two reads while waiting (default ${DEFAULT_POLL_INTERVAL_SECONDS}s, at most 1h; needs --wait)
  --timeout DURATION          give up after DURATION, whatever is in flight (default 60s, or the wait plus 60s)
  --assume-role ARN           check as this IAM role (in the account whose view of the link counts)
  --external-id ID            the external id the role's trust policy requires (needs --assume-role)
  --region REGION             the WorkSpaces Region (default: the SDK's)
  --json                      print the verdict as JSON
  -h, --help                  this text

Exit status: 0 the link has the required status; 1 it does not (another status, a missing
link, or the wait ran out); 2 usage errors and failures to check (access denied, no
credentials, the service failing, no answer within --timeout).`;

/** A command line that cannot be run: exit 2 with the message. */
export class UsageError extends Error {}

/** What to check, and how, from a valid command line. */
export interface CheckOptions {
  readonly lookup: AccountLinkLookup;
  readonly gate: Gate;
  readonly access: AccessSettings;
  /** The whole command's deadline. */
  readonly timeoutSeconds: number;
  readonly json: boolean;
}

/** The check's options from `argv` (without node and the script), 'help', or a UsageError. */
export function parseCheckOptions(argv: string[]): CheckOptions | 'help' {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          'link-id': { type: 'string' },
          'linked-account-id': { type: 'string' },
          'require': { type: 'string' },
          'wait': { type: 'string' },
          'poll': { type: 'string' },
          'timeout': { type: 'string' },
          'assume-role': { type: 'string' },
          'external-id': { type: 'string' },
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
  const lookup = parseLookup(values['link-id'], values['linked-account-id']);
  const required = values.require ?? AccountLinkStatus.LINKED;
  if (!(Object.values(AccountLinkStatus) as string[]).includes(required)) {
    throw new UsageError(`--require ${JSON.stringify(required)} is not one of ${Object.values(AccountLinkStatus).join(', ')}`);
  }
  const wait = checkWait(duration('--wait', values.wait), duration('--poll', values.poll), CHECK_WAIT_LIMITS,
    { wait: '--wait', poll: '--poll' });
  if (wait && 'problem' in wait) throw new UsageError(wait.problem);
  const waitSeconds = wait?.waitSeconds ?? 0;
  const pollSeconds = wait?.pollSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
  const timeout = duration('--timeout', values.timeout);
  if (timeout && (timeout.seconds < 1 || timeout.seconds > MAX_TIMEOUT_SECONDS)) {
    throw new UsageError(`--timeout (${timeout.shown}) must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
  }
  const timeoutSeconds = timeout?.seconds ?? waitSeconds + CHECK_TIMEOUT_MARGIN_SECONDS;
  if (timeoutSeconds <= waitSeconds) {
    throw new UsageError(`--timeout (${values.timeout}) must be longer than --wait (${values.wait}): the reads need time too`);
  }
  const access: AccessSettings = { assumeRoleArn: values['assume-role'], externalId: values['external-id'], region: values.region };
  const problem = accessProblem(access, { assumeRoleArn: '--assume-role', externalId: '--external-id', region: '--region' });
  if (problem) throw new UsageError(problem);
  return {
    lookup,
    gate: { requiredStatus: required as AccountLinkStatus, waitTimeoutSeconds: waitSeconds, pollIntervalSeconds: pollSeconds },
    access,
    timeoutSeconds,
    json: values.json!,
  };
}

function parseLookup(linkId: string | undefined, accountId: string | undefined): AccountLinkLookup {
  if ((linkId === undefined) === (accountId === undefined)) {
    throw new UsageError('give exactly one of --link-id and --linked-account-id');
  }
  if (linkId !== undefined) {
    if (!LINK_ID_PATTERN.test(linkId)) throw new UsageError(`--link-id ${JSON.stringify(linkId)} does not match ${LINK_ID_PATTERN.source}`);
    return { linkId };
  }
  if (!ACCOUNT_ID_PATTERN.test(accountId!)) {
    throw new UsageError(`--linked-account-id ${JSON.stringify(accountId)} does not match ${ACCOUNT_ID_PATTERN.source}`);
  }
  return { linkedAccountId: accountId! };
}

/** The duration option `name` (`90s`, `10m`, `1h`) in seconds; undefined when the option is absent. */
function duration(name: string, text: string | undefined): WaitSetting | undefined {
  if (text === undefined) return undefined;
  const seconds = parseSeconds(text);
  if (seconds === undefined) throw new UsageError(`${name} ${JSON.stringify(text)} is not a duration (such as 90s, 10m or 1h)`);
  return { seconds, shown: text };
}
