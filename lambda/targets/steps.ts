import type { AccountLink } from '@aws-sdk/client-workspaces';
import { Books, SupersededError } from './books';
import { release, resolve, UnresolvedInvitationError } from './invitations';
import type { TargetsRun } from './run';
import { describeError } from '../../core/describe-error';

// The steps a CloudFormation request and a reconcile run of AccountLinkTargets both take with the books.

/**
 * Releases `records`, in order; each deletion counted by `deleted`, LINKED ones noted, and
 * so is one made without an answer that its token no longer resolves (it stays in the
 * books: the request does not guess whose the open link is). False when the invocation's
 * time ran out first (the rest is handed over).
 */
export async function releaseAll(
  books: Books, records: ReturnType<Books['standing']>, run: TargetsRun, notes: string[], deleted: () => void = () => {},
  listing?: ReadonlyMap<string, AccountLink>,
): Promise<boolean> {
  for (const record of records) {
    if (run.timeUp()) return false;
    let released;
    try {
      released = await release(books, record, run.source, listing);
    } catch (error) {
      if (!(error instanceof UnresolvedInvitationError)) throw error;
      notes.push(error.message);
      continue;
    }
    if (released.result === 'deleted') {
      deleted();
      notes.push(`deleted the pending invitation ${released.linkId} to account ${record.target}`);
    } else if (released.result === 'linked') {
      notes.push(`account ${record.target} is no longer a target but its link ${released.linkId} is LINKED and stays: the API cannot unlink`);
    }
  }
  return true;
}

/**
 * Resolves every invitation the resource made without an answer, with its own token, so
 * that the request knows what it owns before it acts (see invitations.ts `resolve`). One
 * that still gets no answer is noted, and stays to resolve. False when time ran out.
 */
export async function resolveAll(books: Books, run: TargetsRun, notes: string[]): Promise<boolean> {
  for (const record of books.standing().filter((r) => r.state === 'intended')) {
    if (run.timeUp()) return false;
    try {
      await resolve(books, record, run.source);
    } catch (error) {
      if (run.mustHandOver(error) || error instanceof SupersededError) throw error;
      notes.push(`the invitation to account ${record.target} made without an answer is still unresolved: ${describeError(error)}`);
    }
  }
  return true;
}
