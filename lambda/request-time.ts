/**
 * When CloudFormation sent the request: the signing time of its pre-signed ResponseURL
 * (`X-Amz-Date`, SigV4 query signing). Every delivery of the same event carries the same
 * URL, so every copy computes the same wait clock from it. Falls back to `now` for a URL
 * without a usable date, and never lies in the future of `now` by more than clock skew.
 */
export function requestTime(responseUrl: string, now: number): number {
  let date: string | null = null;
  try {
    date = new URL(responseUrl).searchParams.get('X-Amz-Date');
  } catch {
    return now;
  }
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date ?? '');
  if (!match) {
    return now;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const sent = Date.UTC(y, mo - 1, d, h, mi, s);
  // A date further ahead than plausible clock skew is not a request time.
  return sent <= now + MAX_CLOCK_SKEW_MS ? Math.min(sent, now) : now;
}

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
