#!/usr/bin/env node
/**
 * workspaces-account-links-emulator --links links.json [--port N] [--host H]
 *
 * Serves the links of a JSON file over the WorkSpaces JSON 1.1 protocol until stopped.
 * Point the AWS SDK at it with AWS_ENDPOINT_URL_WORKSPACES=<the printed endpoint>.
 */
import { AccountLinksEmulator } from './emulator';
import { readLinksFile } from './links-file';

const USAGE = 'usage: workspaces-account-links-emulator --links FILE [--port N] [--host 127.0.0.1]';

async function main(argv: string[]): Promise<void> {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    if (!['--links', '--port', '--host'].includes(flag) || value === undefined) {
      throw new Error(`unexpected ${JSON.stringify(flag)}\n${USAGE}`);
    }
    options[flag.slice(2)] = value;
    i++;
  }
  if (!options.links) {
    throw new Error(`--links is required\n${USAGE}`);
  }
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port ${options.port} is not a port number`);
  }
  const links = readLinksFile(options.links);
  const emulator = await AccountLinksEmulator.start({ links, port, host: options.host });
  process.stdout.write(`WorkSpaces account-links emulator: ${links.length} links on ${emulator.endpoint}\n`);
  process.stdout.write(`export AWS_ENDPOINT_URL_WORKSPACES=${emulator.endpoint}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
});
