import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CodeBlock, codeBlocks, Page, pages, ROOT } from './pages';

// Every TypeScript snippet of the README and the docs pages compiles against the library,
// as jsii-rosetta compiles the README's (`jsii-rosetta extract --strict`, which does not
// read docs/): pasted into rosetta's fixture, with rosetta's compiler options. One program
// holds every snippet, each a module of its own, so the test takes one compilation.

const TYPESCRIPT = ['ts', 'typescript'];
const PACKAGE = 'cdk-workspaces-account-links';
const FIXTURE = readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
const HERE = '/// here';

/**
 * jsii-rosetta's compiler options (STANDARD_COMPILER_OPTIONS in its typescript/ts-compiler,
 * which its package does not export), less what only emitting needs; the package's imports
 * resolve to the library's source, as rosetta resolves them to its build.
 */
const OPTIONS: ts.CompilerOptions = {
  alwaysStrict: true,
  experimentalDecorators: true,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
  resolveJsonModule: true,
  types: ['*'],
  strict: true,
  strictNullChecks: true,
  strictPropertyInitialization: true,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  skipLibCheck: true,
  paths: {
    [PACKAGE]: [path.join(ROOT, 'src', 'index.ts')],
    [`${PACKAGE}/emulator`]: [path.join(ROOT, 'src', 'emulator', 'index.ts')],
  },
};

/** A snippet as rosetta compiles it: in place of the fixture's `/// here`. */
interface Snippet {
  readonly block: CodeBlock;
  /** A file of its own, in a folder nothing else is in (it is never written). */
  readonly file: string;
  readonly source: string;
  /** Lines of the fixture before the snippet. */
  readonly offset: number;
}

function snippetsOf(page: Page): Snippet[] {
  const offset = FIXTURE.slice(0, FIXTURE.indexOf(HERE)).split('\n').length - 1;
  return codeBlocks(page).filter((block) => TYPESCRIPT.includes(block.language)).map((block) => ({
    block,
    file: path.join(ROOT, 'test', 'docs', '.snippets', `${page.path.replace(/[/.]/g, '_')}_${block.line}.ts`),
    source: FIXTURE.replace(HERE, block.code),
    offset,
  }));
}

/** Compiles the snippets in one program; each error as `page:line: message`, on the page's line. */
function compile(snippets: Snippet[]): Map<Snippet, string[]> {
  const byFile = new Map(snippets.map((s) => [s.file, s]));
  const host = ts.createCompilerHost(OPTIONS, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => byFile.has(file) || fileExists.call(host, file);
  host.readFile = (file) => byFile.get(file)?.source ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const snippet = byFile.get(file);
    return snippet ? ts.createSourceFile(file, snippet.source, language, true) : getSourceFile.call(host, file, language, ...rest);
  };
  const program = ts.createProgram({ rootNames: [...byFile.keys()], options: OPTIONS, host });
  const errors = new Map(snippets.map((s) => [s, [] as string[]]));
  for (const snippet of snippets) {
    const sourceFile = program.getSourceFile(snippet.file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const pageLine = snippet.block.line + line - snippet.offset;
      errors.get(snippet)!.push(`${snippet.block.page}:${pageLine}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
    }
  }
  return errors;
}

/** The check itself: a page whose first snippet does not compile and whose second does. */
const BROKEN: Page = {
  path: 'docs/example.md',
  text: [
    'Text', '',
    '```ts',
    "import { App, Stack } from 'aws-cdk-lib';",
    "import { AccountLink, NoSuchConstruct } from 'cdk-workspaces-account-links';",
    "new AccountLink(new Stack(new App(), 'S'), 'L', { linkIdentifier: 'link-1a2b3c4d' });",
    '```',
    '```ts',
    "import { App, Stack } from 'aws-cdk-lib';",
    "import { AccountLink } from 'cdk-workspaces-account-links';",
    "new AccountLink(new Stack(new App(), 'S'), 'L', { linkId: 'link-1a2b3c4d' });",
    '```',
  ].join('\n'),
};

const ALL = pages();
const SNIPPETS = ALL.flatMap(snippetsOf);
const BROKEN_SNIPPETS = snippetsOf(BROKEN);
let errors: Map<Snippet, string[]>;

beforeAll(() => {
  errors = compile([...SNIPPETS, ...BROKEN_SNIPPETS]);
}, 120_000);

test('the README has TypeScript snippets, and so do the docs pages', () => {
  expect(SNIPPETS.filter((s) => s.block.page === 'README.md').length).toBeGreaterThanOrEqual(6);
  expect(SNIPPETS.filter((s) => s.block.page !== 'README.md').length).toBeGreaterThan(0);
});

test.each(ALL.filter((page) => snippetsOf(page).length > 0).map((page) => [page.path]))('every TypeScript snippet of %s compiles', (page) => {
  expect(SNIPPETS.filter((s) => s.block.page === page).flatMap((s) => errors.get(s)!)).toEqual([]);
});

// The check itself: a snippet that does not compile is one it reports, on the page's line.
test('a snippet with a wrong property, or an import the library does not have, fails on its page\'s line', () => {
  const [broken, fine] = BROKEN_SNIPPETS.map((snippet) => errors.get(snippet)!);
  expect(broken.map((e) => e.split(': ')[0])).toEqual(['docs/example.md:5', 'docs/example.md:6']);
  expect(broken.join('\n')).toMatch(/NoSuchConstruct[\s\S]*linkIdentifier/);
  expect(fine).toEqual([]);
});
