/**
 * What the bundled handler (assets/lambda/index/, projenrc/bundle-handler.ts) may weigh:
 * the whole folder, the benchmark's "self-contained handler ≤ 300 KiB" (307,200 bytes), and what a lookup's
 * cold start loads (index.js; the files of the writes, the targets, the hand-over and the
 * assumed role load on demand). test/package/bundle-script.test.ts holds every build to
 * both; the benchmark reports the first.
 */
export const HANDLER_BUDGET = {
  /** Every file of the asset. */
  assetBytes: 300 * 1024,
  /** The files every cold start loads. */
  coldStartBytes: 75_000,
} as const;
