import type { AccountLinksEmulator } from '../../../src/emulator/emulator';
import { SOURCE } from '../in-process-targets';
import type { Played } from './play';
import { Violation } from './trace';

const PENDING = 'PENDING_ACCEPTANCE_BY_TARGET_ACCOUNT';
const OPEN = new Set([PENDING, 'LINKED']);

/**
 * The links from the source once a history has run (its rollbacks and late copies
 * included), against what its requests asked for. Links others made (`foreign`) are never
 * the resource's: they count as open links of a target, and nothing else.
 * 1. No invitation or link to an account that no delivered request asked for.
 * 2. No pending invitation of the resource to an account its last successful request does not want.
 * 3. Every target that request wants has an open link (pending or LINKED), unless it
 *    rejected its invitation since; once the resource is gone, no pending invitation of it at all.
 * (4, one answer a request, is checked as the requests are answered: play.ts.)
 */
export function checkLinks(emulator: AccountLinksEmulator, played: Played): void {
  const { world, wants, rejectedSince } = played;
  const links = emulator.snapshot().filter((l) => l.SourceAccountId === SOURCE);
  const own = links.filter((l) => !world.foreign.has(l.AccountLinkId));
  const show = (l: { AccountLinkId: string; AccountLinkStatus: string; TargetAccountId: string }) =>
    `${l.AccountLinkId} to ${l.TargetAccountId} (${l.AccountLinkStatus})`;

  const unasked = own.filter((l) => !world.asked.has(l.TargetAccountId));
  if (unasked.length) throw new Violation(`invariant 1: links to accounts no request asked for: ${unasked.map(show).join(', ')}`);

  const pending = own.filter((l) => l.AccountLinkStatus === PENDING);
  if (wants === undefined) {
    if (pending.length) throw new Violation(`invariant 3: the resource is gone, but its invitations are pending: ${pending.map(show).join(', ')}`);
    return;
  }
  const unwanted = pending.filter((l) => !wants.includes(l.TargetAccountId));
  if (unwanted.length) {
    throw new Violation(`invariant 2: pending invitations the last successful request does not want (it wants [${wants.join(' ')}]): `
      + unwanted.map(show).join(', '));
  }
  const unlinked = wants.filter((t) => !rejectedSince.has(t) && !links.some((l) => l.TargetAccountId === t && OPEN.has(l.AccountLinkStatus)));
  if (unlinked.length) {
    throw new Violation(`invariant 3: targets of the last successful request without an open link: ${unlinked.join(' ')}; the links: `
      + (links.map(show).join(', ') || 'none'));
  }
}
