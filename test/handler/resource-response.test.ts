import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  boundedPhysicalId, buildResponse, byteLength, cutReason, MAX_PHYSICAL_ID_LENGTH, MAX_REASON_BYTES, MAX_RESPONSE_BYTES,
} from '../../lambda/resource-response';
import { createEvent, updateEvent } from '../../local-aws/cloudformation/events';
import { ResourceType } from '../../src/contract';

const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/signed';
const create = createEvent({}, { responseUrl: RESPONSE_URL, resourceType: ResourceType.ACCOUNT_LINKS });
const update: CloudFormationCustomResourceEvent = updateEvent(
  { LinkStatusFilter: ['LINKED'] }, {}, 'LinkStatusFilter=*', { responseUrl: RESPONSE_URL, resourceType: ResourceType.ACCOUNT_LINKS });

describe('the response body', () => {
  test('SUCCESS: the outcome\'s physical id and data, and the event\'s ids', () => {
    expect(buildResponse(create, { status: 'SUCCESS', physicalResourceId: 'LinkStatusFilter=*', data: { Count: '0' } })).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'LinkStatusFilter=*',
      StackId: create.StackId,
      RequestId: create.RequestId,
      LogicalResourceId: create.LogicalResourceId,
      Data: { Count: '0' },
    });
  });

  test('data over 4096 bytes: FAILED saying what it holds and how large the response would be', () => {
    const data = { AccountLinkIds: 'link-12345678,'.repeat(300) };
    const response = buildResponse(create, { status: 'SUCCESS', physicalResourceId: 'LinkStatusFilter=*', data, dataDescription: '300 account links' });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^300 account links make a \d+-byte response, over CloudFormation's 4096-byte limit for custom resources: /);
    expect(byteLength(response)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('a failed Update keeps the resource\'s physical id, whatever the outcome names', () => {
    const response = buildResponse(update, { status: 'FAILED', physicalResourceId: 'LinkStatusFilter=LINKED', reason: 'denied' });
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'LinkStatusFilter=*', Reason: 'denied' });
  });

  test('a reason of any length, with control characters: one printable line of at most 1 KB, cut on a character boundary', () => {
    expect(cutReason('a\nb\tc\u0007d')).toBe('a b c d');
    const long = cutReason('é'.repeat(2000));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(long.endsWith('é...')).toBe(true);
    const worst = buildResponse(update, { status: 'FAILED', physicalResourceId: 'x', reason: '€'.repeat(10_000) });
    expect(byteLength(worst)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  });

  test('an id longer than 256 characters is cut, and stays one id per value', () => {
    const a = boundedPhysicalId(`LinkId=${'a'.repeat(1000)}`);
    const b = boundedPhysicalId(`LinkId=${'a'.repeat(999)}b`);
    expect(a).toHaveLength(MAX_PHYSICAL_ID_LENGTH);
    expect(a).not.toBe(b);
    expect(boundedPhysicalId('LinkId=link-1a2b3c4d')).toBe('LinkId=link-1a2b3c4d');
  });
});
