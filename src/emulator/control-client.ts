import { CONTROL_PATHS, OrganizationChange, OrganizationChangeResult } from './control';
import type { ReceivedEvent } from './event-bus';

/**
 * Changes the organization of the emulator at `endpoint` (another process's, say the
 * command's) through its control call: POST /_emulator/organization. Rejects with the
 * emulator's reason when it refuses the change.
 */
export async function changeOrganization(endpoint: string, change: OrganizationChange): Promise<OrganizationChangeResult> {
  const res = await fetch(`${endpoint}${CONTROL_PATHS.ORGANIZATION}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
  const body = await res.json() as OrganizationChangeResult | { error: string };
  if (!res.ok) throw new Error(`the emulator refused ${change.action} (HTTP ${res.status}): ${(body as { error: string }).error}`);
  return body as OrganizationChangeResult;
}

/** The events the emulator at `endpoint` accepted through PutEvents so far, in order: GET /_emulator/events. */
export async function receivedEvents(endpoint: string): Promise<ReceivedEvent[]> {
  const res = await fetch(`${endpoint}${CONTROL_PATHS.EVENTS}`);
  if (!res.ok) throw new Error(`GET ${CONTROL_PATHS.EVENTS} answered HTTP ${res.status}`);
  return ((await res.json()) as { Events: ReceivedEvent[] }).Events;
}
