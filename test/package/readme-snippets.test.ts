import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// The README's Python, Go and Java snippets are lines of the example apps that test/languages
// synthesizes: they show code that runs, and they cannot drift from it.
const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The code blocks of a language in the README. */
function snippets(language: string): string[] {
  return [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

/** A source's lines without their indentation, joined: a snippet's lines must appear in it in a row. */
const unindented = (text: string) => text.split('\n').map((line) => line.trim()).join('\n');

const sources = (dir: string, ext: string) => readdirSync(path.join(ROOT, 'examples', dir))
  .filter((f) => f.endsWith(ext)).map((f) => unindented(readFileSync(path.join(ROOT, 'examples', dir, f), 'utf8')));

test.each([['python', 'python', '.py'], ['go', 'go', '.go'], ['java', 'java/src/main/java/example', '.java']])('every %s snippet of the README is lines of examples/%s', (language, dir, ext) => {
  const code = sources(dir, ext);
  const found = snippets(language);
  expect(found.length).toBeGreaterThan(0);
  for (const snippet of found) {
    expect(code.some((source) => source.includes(unindented(snippet).trim()))).toBe(true);
  }
});
