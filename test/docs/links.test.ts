import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { lineOf, Page, pages, prose, ROOT, withoutCodeBlocks } from './pages';

// Every relative link and image of the README and the docs pages resolves to a file of the
// repository, and every #anchor to a heading of its page, as GitHub makes them (Construct
// Hub resolves the README's relative links and images against the repository on GitHub).

/** Markdown links and images, `[text](target)` or `![alt](target "title")`, and HTML images. */
const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const HTML_IMAGE = /<img\b[^>]*\bsrc="([^"]+)"/g;
/** A scheme (`https:`, `mailto:`): not a file of the repository. */
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/** GitHub's anchor of a heading: its text in lower case, punctuation dropped, spaces as hyphens. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/<[^>]+>/g, '') // HTML tags do not show
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors of a page's headings; a repeated heading gets -1, -2, … as on GitHub. */
export function anchorsOf(page: Page): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCodeBlocks(page).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = githubSlug(match[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Each relative link of a page that does not resolve, as `page:line: target (why)`. */
export function brokenLinks(page: Page, all: Page[]): string[] {
  const text = prose(page);
  const found = [...text.matchAll(LINK), ...text.matchAll(HTML_IMAGE)];
  const broken: string[] = [];
  for (const match of found) {
    const target = match[1];
    if (ABSOLUTE.test(target)) continue;
    const [file, anchor] = target.split('#', 2);
    const resolved = file === '' ? page.path : path.posix.normalize(path.posix.join(path.posix.dirname(page.path), decodeURI(file)));
    const where = `${page.path}:${lineOf(text, match.index!)}: ${target}`;
    if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) {
      broken.push(`${where} (outside the repository)`);
    } else if (!all.some((p) => p.path === resolved) && !existsSync(path.join(ROOT, resolved))) {
      broken.push(`${where} (no file ${resolved})`);
    } else if (anchor !== undefined) {
      const linked = all.find((p) => p.path === resolved);
      if (!linked) {
        broken.push(`${where} (an anchor into ${resolved}, which is not one of the pages)`);
      } else if (!anchorsOf(linked).has(anchor)) {
        broken.push(`${where} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  return broken;
}

const ALL = pages();

test('the README and the docs pages are found', () => {
  expect(ALL.map((p) => p.path)).toEqual(expect.arrayContaining(['README.md', 'docs/how-it-works.md', 'docs/performance.md']));
});

test.each(ALL.map((p) => [p.path, p] as const))('every relative link and image of %s resolves', (_, page) => {
  expect(brokenLinks(page, ALL)).toEqual([]);
});

test('every docs page is linked from the README', () => {
  const readme = ALL.find((p) => p.path === 'README.md')!;
  const linked = new Set([...prose(readme).matchAll(LINK)].map((m) => path.posix.normalize(m[1].split('#')[0])));
  const unlinked = ALL.filter((p) => p.path.startsWith('docs/') && !linked.has(p.path)).map((p) => p.path);
  expect(unlinked).toEqual([]);
});

// The checker itself: a link it cannot follow is one it reports.
test('a missing file, a missing heading and a path out of the repository are reported; GitHub\'s anchors are found', () => {
  const page: Page = {
    path: 'docs/example.md',
    text: [
      '# Gate deployments on `LINKED`',
      '## The `check` command, in any CI job',
      '## Repeated', '## Repeated',
      '[ok](#gate-deployments-on-linked) [ok](#the-check-command-in-any-ci-job) [ok](#repeated-1)',
      '[ok](../README.md) ![ok](how-it-works.md) [ok](https://example.com/nowhere)',
      '[gone](missing.md) [gone](#nowhere) <img src="images/missing.svg"> [out](../../etc/passwd)',
      '```ts', '[in code](not-a-link.md)', '```',
      '`[inline](not-a-link-either.md)`',
    ].join('\n'),
  };
  expect(brokenLinks(page, [page])).toEqual([
    'docs/example.md:7: missing.md (no file docs/missing.md)',
    'docs/example.md:7: #nowhere (no heading #nowhere in docs/example.md)',
    'docs/example.md:7: ../../etc/passwd (outside the repository)',
    'docs/example.md:7: images/missing.svg (no file docs/images/missing.svg)',
  ]);
});
