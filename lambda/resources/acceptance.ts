import { answerInvitation } from '../answer-invitation';
import { apiContext, changed, deleteNothing, ResourceHandler } from '../resource-handler';
import { parseAcceptanceProperties } from '../resource-properties';

/**
 * `Custom::WorkSpacesAccountLinkAcceptance`, in the target account: AcceptAccountLinkInvitation
 * (or RejectAccountLinkInvitation). An answer cannot be taken back: Delete removes nothing.
 */
export const acceptanceHandler: ResourceHandler = {
  async createOrUpdate(event, context) {
    const props = parseAcceptanceProperties(event.ResourceProperties);
    return changed(await answerInvitation(event, props, apiContext(props.access, context)));
  },
  delete: deleteNothing,
};
