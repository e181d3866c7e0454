import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { CustomResourceResponseBody } from '../../../local-aws/response-server';
import { LIST_SEPARATOR } from '../../../src/contract';
import type { InProcessTargets } from '../in-process-targets';
import { Action, Copy, describeEvent, describeSpec, History, POOL, Spec } from './model';
import { Trace, Violation } from './trace';
import { World } from './world';

const ACCEPT_ROLE = 'WorkSpacesAccountLinkAccept';
/** A Delete that failed because WorkSpaces lost answers is sent again, this many times in all at most. */
const MAX_DELETES = 3;

/** One request CloudFormation sent, and the one answer it waited for. */
export interface Sent {
  readonly what: string;
  readonly event: CloudFormationCustomResourceEvent;
  readonly spec: Spec;
  /** The targets the properties resolved to when it was sent (the organization then). */
  readonly targets: readonly string[];
  answer?: CustomResourceResponseBody;
  /** Answers of WorkSpaces lost while it ran (its verdict may then go either way). */
  lost?: number;
}

/** What a history came to: its world, and what the resource should hold now. */
export interface Played {
  readonly world: World;
  /** The targets the resource's last successful request wanted, or undefined when the resource is gone. */
  readonly wants?: readonly string[];
  /** Targets that rejected their invitation after that request: they have no open link, rightly. */
  readonly rejectedSince: ReadonlySet<string>;
}

/** The resource's properties, as the template writes them for `spec`. */
function properties(spec: Spec): Record<string, unknown> {
  return {
    ...(spec.named.length ? { TargetAccountIds: [...spec.named] } : {}),
    ...(spec.units.length ? { OrganizationalUnitIds: [...spec.units] } : {}),
    ...(spec.nested ? { IncludeNestedUnits: 'true' } : {}),
    ...(spec.exclude.length ? { ExcludeAccountIds: [...spec.exclude] } : {}),
    ...(spec.accept ? { AcceptRoleName: ACCEPT_ROLE } : {}),
    // The fastest pace the resource takes (the default of 2 calls a second would wait 500 ms between calls).
    CallsPerSecond: '50',
  };
}

/** Plays `history` in a fresh world of `cloud` as CloudFormation and Lambda would, checking each answer as it comes. */
export async function play(cloud: InProcessTargets, history: History, trace: Trace): Promise<Played> {
  await cloud.newWorld({ accounts: [...POOL], organization: World.organization(history.start) });
  const stack = new Stack(cloud, new World(cloud, history.start), trace);
  for (const [i, round] of history.rounds.entries()) {
    for (const event of round.before) trace.add(`${i + 1}. world: ${describeEvent(event)}: ${await stack.world.apply(event)}`);
    await stack.act(round.action, i + 1);
  }
  return stack.end(history.deleteAtEnd);
}

/** The stack's view of the resource, as CloudFormation keeps it: its physical id and properties, or none. */
class Stack {
  private readonly requests: Sent[] = [];
  private resource?: { readonly physicalResourceId: string; readonly spec: Spec };
  /** The last Create or Update that succeeded while the resource lives (what it should hold), and how many rejections came before it. */
  private lastGood?: { readonly sent: Sent; readonly rejections: number };
  /** A rollback failed: the stack takes no deployment any more, only its deletion. */
  private stuck = false;
  private readonly later: Array<{ readonly sent: Sent; readonly when: 'next' | 'end' }> = [];

  constructor(private readonly cloud: InProcessTargets, public readonly world: World, private readonly trace: Trace) {}

  public async act(action: Action, round: number): Promise<void> {
    if (this.stuck) {
      this.trace.add(`${round}. ${action.kind}: skipped, a rollback failed (only the stack's deletion is left)`);
      return;
    }
    if (action.kind === 'remove') {
      if (!this.resource) {
        this.trace.add(`${round}. remove: skipped, no resource`);
        return;
      }
      await this.delete(`Delete (round ${round}: removed)`, action.copies);
      return;
    }
    const { spec, copies, stackFails, rollbackCopies } = action;
    if (!this.resource) {
      const created = await this.send('Create', `Create (round ${round})`, spec, {}, copies);
      this.resource = { physicalResourceId: created.answer!.PhysicalResourceId, spec };
      if (created.answer!.Status === 'FAILED' || stackFails) {
        await this.delete(`Delete (round ${round}: rollback of the Create)`, rollbackCopies);
      } else {
        this.good(created);
      }
      return;
    }
    const old = this.resource;
    if (JSON.stringify(properties(spec)) === JSON.stringify(properties(old.spec))) {
      this.trace.add(`${round}. deploy: no change of properties, no request`);
      return;
    }
    const updated = await this.send('Update', `Update (round ${round})`, spec, { physicalResourceId: old.physicalResourceId, old: old.spec }, copies);
    if (updated.answer!.Status === 'SUCCESS' && !stackFails) {
      this.resource = { ...old, spec };
      this.good(updated);
      return;
    }
    const back = await this.send('Update', `Update (round ${round}: rollback)`, old.spec,
      { physicalResourceId: old.physicalResourceId, old: spec }, rollbackCopies);
    if (back.answer!.Status === 'SUCCESS') this.good(back);
    else this.stuck = true;
  }

  /** The end: the stack's deletion if asked (or if a rollback failed), then every copy still to come. */
  public async end(deleteAtEnd: boolean): Promise<Played> {
    if (this.resource && (deleteAtEnd || this.stuck)) await this.delete('Delete (the stack is deleted)', []);
    for (const { sent } of this.later.splice(0)) {
      this.trace.add(`late copy of ${sent.what}`);
      await this.deliverCopy(sent);
    }
    for (const sent of this.requests) this.oneAnswer(sent);
    return {
      world: this.world,
      wants: this.resource ? this.lastGood!.sent.targets : undefined,
      rejectedSince: new Set(this.resource ? this.world.rejected.slice(this.lastGood!.rejections) : []),
    };
  }

  private good(sent: Sent): void {
    this.lastGood = { sent, rejections: this.world.rejected.length };
  }

  /**
   * Deletes the resource: a Delete of it has nothing it cannot remove, so it succeeds; only
   * when WorkSpaces lost answers may it fail, and then it is sent again (the stack's deletion
   * retried, its rollback continued) until it succeeds.
   */
  private async delete(what: string, copies: readonly Copy[]): Promise<void> {
    const { physicalResourceId, spec } = this.resource!;
    for (let attempt = 1; ; attempt++) {
      const deleted = await this.send('Delete', attempt === 1 ? what : `${what}, sent again`, spec, { physicalResourceId }, attempt === 1 ? copies : []);
      if (deleted.answer!.Status === 'SUCCESS') break;
      if (!deleted.lost || attempt === MAX_DELETES) {
        throw new Violation(`${what} answered FAILED (${deleted.answer!.Reason}): a Delete of this resource has nothing it cannot remove`);
      }
    }
    this.resource = undefined;
    this.lastGood = undefined;
  }

  /**
   * Sends a request as CloudFormation does, with Lambda's copies: those `with` it at once
   * (and the late copies of the last request that come `next`), then waits for every
   * invocation to end; then the copies `after` it. Checks its one answer.
   */
  private async send(
    type: 'Create' | 'Update' | 'Delete', what: string, spec: Spec,
    more: { physicalResourceId?: string; old?: Spec }, copies: readonly Copy[],
  ): Promise<Sent> {
    const event = this.cloud.event(type, properties(spec), {
      physicalResourceId: more.physicalResourceId,
      oldProperties: more.old && properties(more.old),
    });
    const resolution = this.world.resolve(spec);
    const mustFail = type === 'Delete' ? undefined : this.world.mustFail(spec);
    const sent: Sent = { what, event, spec, targets: 'targets' in resolution ? resolution.targets : [] };
    this.requests.push(sent);
    this.trace.add(`${what} ${describeSpec(spec)}${copies.length ? ` [copies: ${copies.join(' ')}]` : ''}`
      + `${type === 'Delete' ? '' : `, resolves to ${'targets' in resolution ? `[${resolution.targets.join(' ')}]` : 'nothing (a unit is gone)'}`}`
      + `${mustFail ? `, must fail: ${mustFail}` : ''}`);
    const racing = this.later.filter((l) => l.when === 'next');
    this.later.splice(0, this.later.length, ...this.later.filter((l) => l.when !== 'next'));
    const logsFrom = this.cloud.logs.length;
    const lostBefore = this.cloud.workspaces.lost;
    const cut = this.world.nextCut;
    this.world.nextCut = undefined;
    this.cloud.handOverCopies = cut?.twice ? 2 : 1;
    this.world.ask(spec);
    this.cloud.invoke(event, cut?.workMs);
    for (const copy of copies) if (copy === 'with') this.cloud.invoke(event);
    for (const late of racing) {
      this.trace.add(`  with a late copy of ${late.sent.what}`);
      this.world.ask(late.sent.spec);
      this.cloud.invoke(late.sent.event);
    }
    await this.cloud.settle();
    this.cloud.handOverCopies = 1;
    this.trace.logs(this.cloud.logs.slice(logsFrom));
    this.oneAnswer(sent);
    sent.answer = this.cloud.answersTo(event.RequestId)[0].body;
    // An answer WorkSpaces lost may fail the request, or not (a retry finds it): either verdict is right then.
    const lost = sent.lost = this.cloud.workspaces.lost - lostBefore;
    this.trace.add(`  → ${sent.answer.Status}${sent.answer.Status === 'FAILED' ? `: ${sent.answer.Reason}` : ''}`
      + `${lost ? ` (${lost} answers of WorkSpaces lost)` : ''}`);
    this.checkAnswer(sent, type, lost ? 'free' : mustFail, more.physicalResourceId);
    for (const copy of copies) {
      if (copy === 'after') {
        this.trace.add(`  a copy of ${what} after its answer`);
        await this.deliverCopy(sent);
      } else if (copy !== 'with') {
        this.later.push({ sent, when: copy });
      }
    }
    return sent;
  }

  /** Delivers one more copy of a request that was answered, and waits for it to end. */
  private async deliverCopy(sent: Sent): Promise<void> {
    const logsFrom = this.cloud.logs.length;
    this.world.ask(sent.spec);
    this.cloud.invoke(sent.event);
    await this.cloud.settle();
    this.trace.logs(this.cloud.logs.slice(logsFrom));
  }

  /** Invariant 4: CloudFormation got exactly one answer to the request (none is a stack that waits for nothing; two, a contradiction). */
  private oneAnswer(sent: Sent): void {
    const answers = this.cloud.answersTo(sent.event.RequestId);
    if (answers.length !== 1) {
      throw new Violation(`${sent.what} got ${answers.length} answers (${answers.map((a) => a.body.Status).join(', ')}), not exactly one`);
    }
  }

  /**
   * The answer is the one the world calls for: a Create or Update fails exactly when it
   * must (a unit gone, a target's accept role refused while its invitation waits), and
   * when it succeeds it lists the targets its properties resolve to; an Update keeps the
   * resource's physical id (its source and Region never change here); a Delete succeeds.
   */
  private checkAnswer(sent: Sent, type: string, mustFail: string | 'free' | undefined, physicalResourceId: string | undefined): void {
    const answer = sent.answer!;
    if (type === 'Delete') return;
    if (mustFail !== undefined && mustFail !== 'free' && answer.Status === 'SUCCESS') throw new Violation(`${sent.what} succeeded, but must fail: ${mustFail}`);
    if (mustFail === undefined && answer.Status === 'FAILED') throw new Violation(`${sent.what} failed, but nothing makes it fail: ${answer.Reason}`);
    if (answer.Status === 'SUCCESS') {
      const listed = String(answer.Data?.TargetAccountIds ?? '').split(LIST_SEPARATOR).filter(Boolean);
      if (listed.join() !== sent.targets.join()) {
        throw new Violation(`${sent.what} answered the targets [${listed.join(' ')}], but its properties resolve to [${sent.targets.join(' ')}]`);
      }
    }
    if (type === 'Update' && answer.PhysicalResourceId !== physicalResourceId) {
      throw new Violation(`${sent.what} answered physical id ${answer.PhysicalResourceId}, not the resource's ${physicalResourceId}: a replacement`);
    }
  }
}
