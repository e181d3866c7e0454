import type { EmulatedAccountState, OrganizationTree } from './organization';

/**
 * The emulator's own HTTP calls, beside the AWS protocols it serves on POST `/`: tests and
 * demos in other processes change its organization and read what it received through them.
 */
export const CONTROL_PATHS = {
  /** POST an OrganizationChange: the organization changes as the action says. */
  ORGANIZATION: '/_emulator/organization',
  /** GET the events PutEvents accepted: `{ "Events": [ ReceivedEvent, ... ] }`. */
  EVENTS: '/_emulator/events',
} as const;

/** The body of POST CONTROL_PATHS.ORGANIZATION: one change, as the organization's own calls make it. */
export type OrganizationChange =
  /** An account joins, in a unit or the root (the default), ACTIVE unless told. */
  | { readonly action: 'addAccount'; readonly accountId: string; readonly parentId?: string; readonly state?: EmulatedAccountState }
  /** An account moves to another unit or to the root (MoveAccount). */
  | { readonly action: 'moveAccount'; readonly accountId: string; readonly parentId: string }
  /** An account leaves the organization (RemoveAccountFromOrganization). */
  | { readonly action: 'removeAccount'; readonly accountId: string }
  /** An account is suspended, or made ACTIVE again. */
  | { readonly action: 'setAccountState'; readonly accountId: string; readonly state: EmulatedAccountState }
  /** A unit is made under a unit or the root (the default) (CreateOrganizationalUnit). */
  | { readonly action: 'addUnit'; readonly unitId: string; readonly parentId?: string }
  /** An empty unit is deleted (DeleteOrganizationalUnit). */
  | { readonly action: 'deleteUnit'; readonly unitId: string };

/** The answer to an organization change: the account or unit it changed, and where that is now. */
export interface OrganizationChangeResult {
  readonly action: OrganizationChange['action'];
  readonly accountId?: string;
  readonly unitId?: string;
  /** The parent (a unit's id or the root's) it is in now; null once the account left or the unit was deleted. */
  readonly parentId: string | null;
}

/** A control call the emulator refuses: its HTTP status and why. */
export class ControlError extends Error {
  constructor(readonly httpStatus: number, message: string) {
    super(message);
  }
}

/** What each action takes, besides `action`: the fields it needs, and those it may have. */
const ACTIONS: Record<OrganizationChange['action'], { readonly required: string[]; readonly optional: string[] }> = {
  addAccount: { required: ['accountId'], optional: ['parentId', 'state'] },
  moveAccount: { required: ['accountId', 'parentId'], optional: [] },
  removeAccount: { required: ['accountId'], optional: [] },
  setAccountState: { required: ['accountId', 'state'], optional: [] },
  addUnit: { required: ['unitId'], optional: ['parentId'] },
  deleteUnit: { required: ['unitId'], optional: [] },
};

/**
 * Applies a change a control call's body asks for to `tree`, or throws a ControlError (400)
 * saying what is wrong with it: not JSON, an unknown action, a field missing, unknown or
 * not a string, or a change the organization refuses (an account already in it, a unit
 * that is not empty, a parent that does not exist).
 */
export function applyOrganizationChange(tree: OrganizationTree | undefined, body: string): OrganizationChangeResult {
  if (!tree) throw new ControlError(400, 'this emulator serves no organization: start it with one (EmulatorOptions.organization, or "Organization" in the links file)');
  const change = parseChange(body);
  try {
    switch (change.action) {
      case 'addAccount':
        tree.addAccount(change.accountId, change.parentId, change.state);
        break;
      case 'moveAccount':
        tree.moveAccount(change.accountId, change.parentId);
        break;
      case 'removeAccount':
        tree.removeAccount(change.accountId);
        break;
      case 'setAccountState':
        tree.setAccountState(change.accountId, change.state);
        break;
      case 'addUnit':
        tree.addUnit(change.unitId, change.parentId);
        return { action: change.action, unitId: change.unitId, parentId: change.parentId ?? tree.rootId };
      case 'deleteUnit':
        tree.deleteUnit(change.unitId);
        return { action: change.action, unitId: change.unitId, parentId: null };
    }
  } catch (error) {
    throw new ControlError(400, `${change.action}: ${(error as Error).message}`);
  }
  return { action: change.action, accountId: change.accountId, parentId: tree.parentOf(change.accountId) ?? null };
}

function parseChange(body: string): OrganizationChange {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ControlError(400, `the body must be JSON: { "action": "${Object.keys(ACTIONS).join('" | "')}", ... }`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlError(400, 'the body must be a JSON object');
  const { action, ...fields } = value as Record<string, unknown>;
  const spec = typeof action === 'string' ? ACTIONS[action as OrganizationChange['action']] : undefined;
  if (!spec || !Object.prototype.hasOwnProperty.call(ACTIONS, action as string)) {
    throw new ControlError(400, `"action" must be one of ${Object.keys(ACTIONS).join(', ')}, got ${JSON.stringify(action)}`);
  }
  const missing = spec.required.filter((name) => fields[name] === undefined);
  if (missing.length > 0) throw new ControlError(400, `${action} needs ${missing.map((m) => `"${m}"`).join(' and ')}`);
  const unknown = Object.keys(fields).filter((name) => !spec.required.includes(name) && !spec.optional.includes(name));
  if (unknown.length > 0) {
    throw new ControlError(400, `${action} takes ${[...spec.required, ...spec.optional].map((m) => `"${m}"`).join(', ')}, not ${unknown.map((u) => `"${u}"`).join(', ')}`);
  }
  for (const [name, field] of Object.entries(fields)) {
    if (field !== undefined && typeof field !== 'string') throw new ControlError(400, `${action}: "${name}" must be a string, got ${JSON.stringify(field)}`);
  }
  if (fields.state !== undefined && fields.state !== 'ACTIVE' && fields.state !== 'SUSPENDED') {
    throw new ControlError(400, `${action}: "state" must be ACTIVE or SUSPENDED, got ${JSON.stringify(fields.state)}`);
  }
  return value as OrganizationChange;
}
