import * as fc from 'fast-check';

/**
 * The histories of one AccountLinkTargets resource that the randomized test plays: what the
 * stack asks (deployments and removals; CloudFormation's rollbacks follow from their
 * outcomes), what Lambda delivers besides (copies of each request, some late; invocations
 * cut short), and what changes in the world between requests (the organization, the
 * targets' accept roles, WorkSpaces' memory of tokens and its lost answers, the targets' own
 * answers, invitations made by others, time). Each history prints as a few readable lines,
 * as fast-check shows a failing one; arbitraries.ts makes them.
 */

/** The accounts a history may target: t1 to t4 (200000000001 to 200000000004). */
export const POOL = ['200000000001', '200000000002', '200000000003', '200000000004'] as const;
export type Account = typeof POOL[number];
/** Two units; U2 may be nested in U1. */
export const UNITS = ['ou-ab12-unitaaaa', 'ou-ab12-unitbbbb'] as const;
export type Unit = typeof UNITS[number];
export type Parent = Unit | 'root';

/** The resource's properties, as the template sets them. */
export interface Spec {
  readonly named: readonly Account[];
  readonly units: readonly Unit[];
  readonly nested: boolean;
  readonly exclude: readonly Account[];
  /** AcceptRoleName: each target accepts through its role. */
  readonly accept: boolean;
}

/** Something that happens between two requests, outside the resource. */
export type WorldEvent =
  | { readonly kind: 'move' | 'join'; readonly account: Account; readonly to: Parent }
  | { readonly kind: 'leave' | 'suspend' | 'activate'; readonly account: Account }
  /** Its accounts moved to the root, then the unit deleted (as Organizations deletes only an empty unit). */
  | { readonly kind: 'dissolve'; readonly unit: Unit }
  /** The target's accept role can no longer (refuse) or can again (allow) be assumed. */
  | { readonly kind: 'refuse' | 'allow'; readonly account: Account }
  /** WorkSpaces forgets every ClientToken it took. */
  | { readonly kind: 'forget' }
  /** The answers to the next CreateAccountLinkInvitation calls get lost (each carried out all the same); 4 is every attempt of one call. */
  | { readonly kind: 'lose'; readonly answers: 1 | 4 }
  /** The target of the `nth` pending invitation from the source (modulo their number) answers it itself. */
  | { readonly kind: 'accept' | 'reject'; readonly nth: number }
  /**
   * Lambda gives the first invocation of the next request only `workMs` of work (it hands
   * the rest over, as long work does), and delivers each hand-over of it once or twice.
   */
  | { readonly kind: 'cut'; readonly workMs: 0 | 60 | 120; readonly twice: boolean }
  /** Time passes before the next request (the ledger's leases of 3 minutes run out; 2 hours is past any ServiceTimeout). */
  | { readonly kind: 'wait'; readonly minutes: 5 | 120 }
  /** Someone else in the source account (a person, another resource) invites the account. */
  | { readonly kind: 'foreign'; readonly account: Account };

/**
 * A copy of a request, besides the one CloudFormation's answer comes from: delivered with
 * it (at once), after its answer, with the next request the stack sends, or at the very end.
 */
export type Copy = 'with' | 'after' | 'next' | 'end';

/** What the stack does in one round. */
export type Action =
  /** The template sets the resource's properties (Create, or Update); `stackFails`: another resource fails, and the stack rolls back. */
  | { readonly kind: 'deploy'; readonly spec: Spec; readonly copies: readonly Copy[]; readonly stackFails: boolean; readonly rollbackCopies: readonly Copy[] }
  /** The template no longer has the resource (Delete). */
  | { readonly kind: 'remove'; readonly copies: readonly Copy[] };

export interface Round {
  readonly before: readonly WorldEvent[];
  readonly action: Action;
}

/** The world before the first request: where each account is, whose roles refuse. */
export interface Start {
  /** Each pool account's parent, or out of the organization. */
  readonly placement: Readonly<Record<Account, Parent | 'out'>>;
  readonly source: Parent;
  /** U2 is nested in U1 (else in the root). */
  readonly nested: boolean;
  /** One pool account is the organization's management account (never out of it), else 000000000000 in the root. */
  readonly management?: Account;
  readonly refused: readonly Account[];
}

export class History {
  constructor(public readonly start: Start, public readonly rounds: readonly Round[], public readonly deleteAtEnd: boolean) {}

  public toString(): string {
    const where = POOL.map((a) => `${short(a)}${this.start.management === a ? '(management)' : ''} in ${place(this.start.placement[a])}`);
    return [
      `History: ${where.join(', ')}; source in ${place(this.start.source)}; U2 in ${this.start.nested ? 'U1' : 'root'}`
        + `${this.start.refused.length ? `; roles refused: ${this.start.refused.map(short).join(' ')}` : ''}`,
      ...this.rounds.flatMap((round, i) => [
        ...round.before.map((event) => `  ${i + 1}. world: ${describeEvent(event)}`),
        `  ${i + 1}. ${describeAction(round.action)}`,
      ]),
      `  end: ${this.deleteAtEnd ? 'the stack is deleted' : 'the stack stays'}`,
    ].join('\n');
  }

  public [fc.toStringMethod](): string {
    return `\n${this.toString()}\n`;
  }
}

/** `t1` for 200000000001, and so on; U1, U2. */
export function short(id: string): string {
  const unit = UNITS.indexOf(id as Unit);
  if (unit >= 0) return `U${unit + 1}`;
  return POOL.includes(id as Account) ? `t${Number(id.slice(-2))}` : id;
}

function place(parent: Parent | 'out'): string {
  return parent === 'root' || parent === 'out' ? parent : short(parent);
}

export function describeSpec(spec: Spec): string {
  const parts = [
    spec.named.length ? `named ${spec.named.map(short).join(' ')}` : '',
    spec.units.length ? `units ${spec.units.map(short).join(' ')}${spec.nested ? ' (nested too)' : ''}` : '',
    spec.exclude.length ? `excluding ${spec.exclude.map(short).join(' ')}` : '',
    spec.accept ? 'accepting' : '',
  ];
  return `{${parts.filter(Boolean).join('; ')}}`;
}

function describeCopies(copies: readonly Copy[]): string {
  return copies.length ? `, copies: ${copies.join(' ')}` : '';
}

function describeAction(action: Action): string {
  if (action.kind === 'remove') return `remove the resource${describeCopies(action.copies)}`;
  return `deploy ${describeSpec(action.spec)}${describeCopies(action.copies)}`
    + `${action.stackFails ? `; another resource fails: the stack rolls back${action.rollbackCopies.length ? ` (rollback copies: ${action.rollbackCopies.join(' ')})` : ''}` : ''}`;
}

export function describeEvent(event: WorldEvent): string {
  switch (event.kind) {
    case 'move': return `${short(event.account)} moves to ${place(event.to)}`;
    case 'join': return `${short(event.account)} joins in ${place(event.to)}`;
    case 'dissolve': return `${short(event.unit)} is emptied into the root and deleted`;
    case 'forget': return 'WorkSpaces forgets every ClientToken';
    case 'lose': return `the answers to the next ${event.answers} CreateAccountLinkInvitation calls get lost`;
    case 'foreign': return `someone else in the source invites ${short(event.account)}`;
    case 'accept':
    case 'reject': return `the ${ordinal(event.nth)} pending invitation from the source is ${event.kind}ed by its target`;
    case 'cut': return `the next request's first invocation may work ${event.workMs} ms, then hands over`
      + `${event.twice ? ' (each hand-over delivered twice)' : ''}`;
    case 'wait': return event.minutes === 5 ? '5 minutes pass' : '2 hours pass';
    case 'refuse': return `${short(event.account)}'s accept role can no longer be assumed`;
    case 'allow': return `${short(event.account)}'s accept role can be assumed again`;
    default: return `${short(event.account)} ${event.kind === 'leave' ? 'leaves the organization' : `${event.kind}s`}`;
  }
}

function ordinal(n: number): string {
  return `${n + 1}${['st', 'nd', 'rd'][n] ?? 'th'}`;
}
