import { buildResponse, byteLength, MAX_RESPONSE_BYTES } from '../../lambda/resource-response';
import { targetsData } from '../../lambda/targets/answer';
import { createEvent } from '../../local-aws/cloudformation/events';
import { ResourceType } from '../../src/contract';

const accounts = (count: number) => Array.from({ length: count }, (_, i) => String(200000000000 + i));
const linksOf = (targets: string[], idLength: number) => Object.fromEntries(targets.map((t, i) => [t, `link-${String(i).padStart(idLength, '0')}`]));

/** The most targets whose lists come in the answer to `event`, with link ids of `idLength` characters after `link-`. */
function mostListed(event: ReturnType<typeof createEvent>, physicalResourceId: string, idLength: number): number {
  let count = 0;
  while (targetsData(event, physicalResourceId, accounts(count + 1), linksOf(accounts(count + 1), idLength), 0).fits) count++;
  return count;
}

// The figures of docs/organization.md: how many targets' lists an answer holds.
test('the lists come while they fit: 138 targets with 8-character link ids, 78 with the longest ids and names', () => {
  const typical = createEvent({}, { responseUrl: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/x', resourceType: ResourceType.TARGETS, logicalResourceId: 'BusinessUnit79E0F1B8' });
  const worst = {
    ...typical,
    StackId: `arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack/${'s'.repeat(128)}/5b6c7d8e-0000-4000-8000-000000000000`,
    LogicalResourceId: 'L'.repeat(255),
  };
  const physicalId = `targets:${'r'.repeat(36)}`;

  expect(mostListed(typical, physicalId, 8)).toBe(138);
  expect(mostListed(worst, physicalId, 24)).toBe(78);
});

test('past the limit, the counts alone: the lists are whole or absent, and the answer built from them fits', () => {
  const event = createEvent({}, { responseUrl: 'https://example.com/x', resourceType: ResourceType.TARGETS });
  const targets = accounts(200);
  const answer = targetsData(event, 'targets:x', targets, linksOf(targets, 8), 150);

  expect(answer).toMatchObject({ fits: false, data: { TargetCount: '200', LinkedCount: '150' } });
  expect(Object.keys(answer.data).sort()).toEqual(['LinkedCount', 'TargetCount']);
  expect(answer.size).toBeGreaterThan(MAX_RESPONSE_BYTES);
  expect(byteLength(buildResponse(event, { status: 'SUCCESS', physicalResourceId: 'targets:x', data: answer.data }))).toBeLessThan(MAX_RESPONSE_BYTES);
});
