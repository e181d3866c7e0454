import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { HandOver, Outcome } from './resource-response';
import { describeError } from '../core/describe-error';
import { ResourceType, ResourceTypeName } from '../src/contract';
import { acceptanceHandler } from './resources/acceptance';
import { accountLinkHandler } from './resources/account-link';
import { targetsHandler } from './resources/account-link-targets';
import { accountLinksHandler } from './resources/account-links';
import { invitationHandler } from './resources/invitation';
import { EventContext, failed, ResourceHandler } from './resources/resource-handler';

/** The handler of each resource type. */
const HANDLERS: { readonly [T in ResourceTypeName]: ResourceHandler } = {
  [ResourceType.ACCOUNT_LINK]: accountLinkHandler,
  [ResourceType.ACCOUNT_LINKS]: accountLinksHandler,
  [ResourceType.INVITATION]: invitationHandler,
  [ResourceType.ACCEPTANCE]: acceptanceHandler,
  [ResourceType.TARGETS]: targetsHandler,
};

/**
 * Decides the outcome of one event: the resource type's handler for its request type.
 * Never throws: every failure becomes a FAILED outcome whose reason says what went wrong.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, context: EventContext): Promise<Outcome | HandOver> {
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
