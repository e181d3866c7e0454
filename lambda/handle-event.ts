import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { EventContext, failed, ResourceHandler } from './resource-handler';
import type { EventResult } from './resource-response';
import { describeError } from '../core/describe-error';
import { ResourceType, ResourceTypeName } from '../src/contract';
import { accountLinkHandler } from './resources/account-link';
import { accountLinksHandler } from './resources/account-links';

/** The handler of each resource type. */
const HANDLERS: { readonly [T in ResourceTypeName]: ResourceHandler } = {
  [ResourceType.ACCOUNT_LINK]: accountLinkHandler,
  [ResourceType.ACCOUNT_LINKS]: accountLinksHandler,
  // The others are loaded on their first request, each from a file of its own (projenrc/bundle-handler.ts): a
  // lookup's cold start loads none of the writes, nor the targets, Organizations and ledger code. (require(),
  // which jest runs in process, where it refuses import(); the bundle's files are CommonJS either way.)
  /* eslint-disable @typescript-eslint/no-require-imports */
  [ResourceType.INVITATION]: onDemand(async () => (require('./resources/invitation') as typeof import('./resources/invitation')).invitationHandler),
  [ResourceType.ACCEPTANCE]: onDemand(async () => (require('./resources/acceptance') as typeof import('./resources/acceptance')).acceptanceHandler),
  [ResourceType.TARGETS]: onDemand(async () => (require('./targets/handler') as typeof import('./targets/handler')).targetsHandler),
  /* eslint-enable @typescript-eslint/no-require-imports */
};

/** A handler whose module is loaded when its first event comes. */
function onDemand(load: () => Promise<ResourceHandler>): ResourceHandler {
  return {
    createOrUpdate: async (event, context) => (await load()).createOrUpdate(event, context),
    delete: async (event, context) => (await load()).delete(event, context),
  };
}

/**
 * Decides the outcome of one event: the resource type's handler for its request type.
 * Never throws: every failure becomes a FAILED outcome whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<EventResult> {
  const handler = HANDLERS[event.ResourceType as ResourceTypeName] as ResourceHandler | undefined;
  try {
    switch (event.RequestType) {
      case 'Delete':
        // An unknown type created nothing either: its Delete succeeds, as every Delete of
        // nothing must, or the rollback of its failed Create would fail too.
        return handler ? await handler.delete(event, context) : { status: 'SUCCESS', physicalResourceId: event.PhysicalResourceId };
      case 'Create':
      case 'Update':
        if (!handler) {
          return failed(event, context, `unsupported resource type ${JSON.stringify(event.ResourceType)}; expected ${Object.keys(HANDLERS).join(' or ')}`);
        }
        return await handler.createOrUpdate(event, context);
      default:
        return failed(event, context, `unknown RequestType ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
    }
  } catch (error) {
    return failed(event, context, describeError(error));
  }
}
