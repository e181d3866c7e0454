import { pages, README } from './pages';

// The README is the package's page on Construct Hub: someone deciding in five minutes reads
// it whole. It stays short (the rest is on the docs pages), and the repository's two commands
// stay on its first screen.
const MAX_LINES = 350;
const FIRST_SCREEN = 60;
/** The main job, offline, and every test: exactly as a newcomer pastes them. */
const COMMANDS = ['npm ci && npm run demo', 'npm ci && npx projen build'];

const readme = pages().find((page) => page.path === README)!;
/** Lines as an editor counts them: a final newline ends the last line, it does not start another. */
const lines = readme.text.replace(/\n$/, '').split('\n');

test(`the README has at most ${MAX_LINES} lines`, () => {
  expect(lines.length).toBeLessThanOrEqual(MAX_LINES);
});

test.each(COMMANDS)(`the README's first ${FIRST_SCREEN} lines have the command \`%s\``, (command) => {
  expect(lines.slice(0, FIRST_SCREEN).map((line) => line.trim())).toContain(command);
});
