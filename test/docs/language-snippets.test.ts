import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeBlocks, pages, ROOT } from './pages';

// The Python, Go and Java snippets of the README and the docs pages are lines of the example
// apps that test/languages synthesizes: they show code that runs, and they cannot drift from it.

/** The code blocks of a language on every page. */
function snippets(language: string): string[] {
  return pages().flatMap(codeBlocks).filter((block) => block.language === language).map((block) => block.code);
}

/** A source's lines without their indentation, joined: a snippet's lines must appear in it in a row. */
const unindented = (text: string) => text.split('\n').map((line) => line.trim()).join('\n');

const sources = (dir: string, ext: string) => readdirSync(path.join(ROOT, 'examples', dir))
  .filter((f) => f.endsWith(ext)).map((f) => unindented(readFileSync(path.join(ROOT, 'examples', dir, f), 'utf8')));

test.each([['python', 'python', '.py'], ['go', 'go', '.go'], ['java', 'java/src/main/java/example', '.java']])('every %s snippet of the docs is lines of examples/%s', (language, dir, ext) => {
  const code = sources(dir, ext);
  const found = snippets(language);
  expect(found.length).toBeGreaterThan(0);
  for (const snippet of found) {
    expect(code.some((source) => source.includes(unindented(snippet).trim()))).toBe(true);
  }
});
