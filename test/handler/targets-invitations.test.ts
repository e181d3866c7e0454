/**
 * lambda/targets/invitations.ts on a real ledger table (dynalite): which intent records an
 * invocation that lost the resource may mark abandoned. The WorkSpaces client is a narrow
 * stand-in that makes the invitation and loses its answer.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HttpRequestError } from '../../core/http-request';
import { Books } from '../../lambda/targets/books';
import { Chain, claim, stillHolds } from '../../lambda/targets/fence';
import { invite, resolve } from '../../lambda/targets/invitations';
import { ledgerTable } from '../support/ledger-table';

const PLACE = { source: '111122223333', region: 'eu-west-1' };
const STACK = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/invitations/1';
const TARGET = '310000000001';

const { ledgerOf } = ledgerTable();
const event = (type: 'Create' | 'Delete', id: string) => ({
  RequestType: type, RequestId: id, StackId: STACK, LogicalResourceId: 'Targets', ResourceProperties: {},
}) as unknown as CloudFormationCustomResourceEvent;

/** A WorkSpaces API whose Create is made (its token kept in `made`) and whose answer is lost; the fence runs first, as the client runs it. */
function answerLost(made: Set<string>) {
  return {
    counter: { calls: 0 },
    client: {
      send: async (_operation: string, input: { ClientToken: string }, _signal?: AbortSignal, _until?: number,
        beforeAttempt?: () => Promise<void>) => {
        await beforeAttempt?.();
        made.add(input.ClientToken);
        throw new HttpRequestError('socket hang up', true);
      },
    },
  } as never;
}

test('a successor that lost the resource leaves intended the record an earlier invocation of its request sent: the next request releases it', async () => {
  const key = `${STACK}|targets:1`;
  const request = event('Create', 'R');
  const requestTime = Date.now();
  const made = new Set<string>();

  // Invocation 1 records the intent; its Create is made and its answer lost: the record stays intended.
  const first: Chain = { id: 'A', turn: 1, requestTime };
  expect((await claim(ledgerOf(key), request, first, PLACE)).kind).toBe('holds');
  const ledger1 = ledgerOf(key);
  await expect(invite(await Books.open(ledger1, request, () => stillHolds(ledger1, request, first)), PLACE, TARGET, answerLost(made)))
    .rejects.toThrow(/socket hang up/);
  expect(made.size).toBe(1);

  // Its successor opens its books; a newer request (a Delete) claims the resource before it resolves the record.
  const second: Chain = { id: 'A', turn: 2, requestTime };
  expect((await claim(ledgerOf(key), request, second, PLACE)).kind).toBe('holds');
  const ledger2 = ledgerOf(key);
  const books2 = await Books.open(ledger2, request, () => stillHolds(ledger2, request, second));
  const deletion = event('Delete', 'D');
  const deleting: Chain = { id: 'B', turn: 1, requestTime: requestTime + 1 };
  expect((await claim(ledgerOf(key), deletion, deleting, PLACE)).kind).toBe('holds');
  await expect(resolve(books2, books2.standing().find((r) => r.target === TARGET)!, answerLost(made))).rejects.toThrow(/no longer holds/);

  // The Delete's books still name the invitation that was made: it releases it.
  const ledgerD = ledgerOf(key);
  const booksD = await Books.open(ledgerD, deletion, () => stillHolds(ledgerD, deletion, deleting));
  expect(booksD.standing().map((r) => `${r.target}:${r.state}`)).toEqual([`${TARGET}:intended`]);
});

test('an invocation that wrote the record and lost the resource before its Create left marks it abandoned: no later request makes it', async () => {
  const key = `${STACK}|targets:2`;
  const request = event('Create', 'R');
  const made = new Set<string>();
  const chain: Chain = { id: 'A', turn: 1, requestTime: Date.now() };
  expect((await claim(ledgerOf(key), request, chain, PLACE)).kind).toBe('holds');
  const ledger = ledgerOf(key);
  const books = await Books.open(ledger, request, () => stillHolds(ledger, request, chain));
  const deletion = event('Delete', 'D');
  expect((await claim(ledgerOf(key), deletion, { id: 'B', turn: 1, requestTime: Date.now() + 1 }, PLACE)).kind).toBe('holds');
  await expect(invite(books, PLACE, TARGET, answerLost(made))).rejects.toThrow(/no longer holds/);
  expect(made.size).toBe(0);
  expect((await ledgerOf(key).invitations()).map((r) => r.value.state)).toEqual(['abandoned']);
});
