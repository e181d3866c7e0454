// The npm package holds exactly what users need: the library, its jsii assembly, the two
// bundles, the emulator's import path, the rosetta fixture and the docs. Reads
// `npm pack --dry-run --json` on stdin; prints the file list and size; exits 1 on a file
// that should not ship or one that is missing.
'use strict';
const [pack] = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const files = pack.files.map((f) => f.path).sort();

const required = [
  '.jsii', 'API.md', 'LICENSE', 'README.md', 'package.json',
  'assets/cli/index/index.js',
  // The handler: index.js and the files it loads on demand (projenrc/bundle-handler.ts).
  'assets/lambda/index/index.js', 'assets/lambda/index/acceptance.js', 'assets/lambda/index/assume-role.js',
  'assets/lambda/index/invitation.js', 'assets/lambda/index/invoke-self.js', 'assets/lambda/index/targets.js',
  'emulator.d.ts', 'emulator.js', 'lib/emulator/cli.js', 'lib/emulator/index.d.ts', 'lib/emulator/index.js',
  'lib/index.d.ts', 'lib/index.js', 'rosetta/default.ts-fixture',
];
const allowed = (path) => /^lib\/.+\.(js|d\.ts)$/.test(path) || required.includes(path);

const problems = [
  ...required.filter((path) => !files.includes(path)).map((path) => `missing: ${path}`),
  ...files.filter((path) => !allowed(path)).map((path) => `should not ship: ${path}`),
];
for (const path of files) console.log(`npm package: ${path}`);
console.log(`npm package: ${files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} bytes unpacked`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`npm package: ${problem}`);
  process.exit(1);
}
