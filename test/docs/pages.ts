import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The documentation the docs tests read: the README (Construct Hub's page of the package)
 * and the pages by topic under docs/. What they need of a page is here, once: its code
 * blocks, and its prose with the code blanked out (a link or a heading inside a code block
 * is neither).
 */
export const ROOT = path.join(__dirname, '..', '..');
export const README = 'README.md';
export const DOCS = 'docs';

export interface Page {
  /** From the repository's root, e.g. `docs/organization.md`. */
  readonly path: string;
  readonly text: string;
}

export interface CodeBlock {
  readonly page: string;
  /** The fence's info string: `ts`, `bash`, `mermaid`, … */
  readonly language: string;
  readonly code: string;
  /** The page's line (1-based) of the block's first line of code. */
  readonly line: number;
}

/** The README, then every page under docs/ (folders included), in name order. */
export function pages(): Page[] {
  const docs = readdirSync(path.join(ROOT, DOCS), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.posix.join(DOCS, file.split(path.sep).join('/')))
    .sort();
  return [README, ...docs].map((file) => ({ path: file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
}

/** Fenced code blocks, at the start of a line, as CommonMark and jsii-rosetta read them. */
const FENCE = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;

export function codeBlocks(page: Page): CodeBlock[] {
  return [...page.text.matchAll(FENCE)].map((match) => ({
    page: page.path,
    language: match[1].trim(),
    code: match[2],
    line: lineOf(page.text, match.index!) + 1,
  }));
}

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** The page with its code blocks blanked out, line for line: headings keep their inline code. */
export function withoutCodeBlocks(page: Page): string {
  return page.text.replace(FENCE, blank);
}

/** The page with its code blocks and inline code spans blanked out, line for line: its prose. */
export function prose(page: Page): string {
  return withoutCodeBlocks(page).replace(/`[^`\n]+`/g, blank);
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
