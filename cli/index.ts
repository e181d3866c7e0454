/**
 * workspaces-account-links check: the gate of the AccountLink construct as a command, for
 * CI jobs and pipeline steps that must stop before a deployment starts.
 */
import { checkLink, CheckResult } from './check-link';
import { HELP, parseCheckOptions, UsageError } from './options';
import { reads } from '../core/gate-reasons';

// The bundled SDK warns on stderr that its releases after January 2027 need Node 22: a
// warning about the SDK's future, not about this check, which runs on Node 20 as built.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** One line a person can act on. */
function verdict(result: CheckResult): string {
  if (result.ok) {
    const link = result.link!;
    return `PASS link ${link.AccountLinkId} is ${link.AccountLinkStatus} `
      + `(source ${link.SourceAccountId}, target ${link.TargetAccountId}; ${reads(result.reads)}, ${result.waitedSeconds} s)`;
  }
  return `${result.exitCode === 1 ? 'FAIL' : 'ERROR'} ${result.reason}`;
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseCheckOptions>;
  try {
    options = parseCheckOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`workspaces-account-links: ${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const result = await checkLink(options);
  if (options.json) {
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
