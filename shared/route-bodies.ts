/**
 * The request bodies whose shape alone decides whether they are valid, parsed once here and
 * declared with their routes (routes.ts). Bodies whose rules need Haul's state (downloads,
 * settings, link checks, hand-overs) are checked by the engine instead.
 */
import { ROLES, USER_NAME, type LoginRequest, type NewUserRequest } from './accounts-api.ts';
import { MOVE_TARGETS, type DrainRequest, type MoveRequest } from './api.ts';
import type { PairCompleteRequest, PairStartRequest } from './extension-api.ts';

/** A body as its parser reads it: the typed value, or the field that is wrong and why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };
export type BodyParser<T> = (raw: unknown) => Parsed<T>;

const valid = <T>(value: T): Parsed<T> => ({ ok: true, value });
const wrong = <T>(field: string, message: string): Parsed<T> => ({ ok: false, field, message });

function fieldOf(raw: unknown, name: string): unknown {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>)[name] : undefined;
}

/** A required string of at most `max` characters, not blank. */
function label(raw: unknown, name: string, max: number): string | undefined {
  const value = fieldOf(raw, name);
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : undefined;
}

const requiredLabel = (name: string, max: number) => `"${name}" is required (a string of at most ${max} characters).`;

export const parseMove: BodyParser<MoveRequest> = (raw) => {
  const to = MOVE_TARGETS.find((target) => target === fieldOf(raw, 'to'));
  return to === undefined ? wrong('to', `"to" must be one of ${MOVE_TARGETS.join(', ')}.`) : valid({ to });
};

export const parseDrain: BodyParser<DrainRequest> = (raw) => {
  const draining = fieldOf(raw, 'draining');
  return typeof draining === 'boolean' ? valid({ draining }) : wrong('draining', '"draining" must be true (hand this node\'s downloads to the others and take no more) or false.');
};

export const parsePairStart: BodyParser<PairStartRequest> = (raw) => {
  const browser = label(raw, 'browser', 200);
  return browser === undefined ? wrong('browser', requiredLabel('browser', 200)) : valid({ browser });
};

export const parsePairComplete: BodyParser<PairCompleteRequest> = (raw) => {
  const pairingId = label(raw, 'pairingId', 200);
  if (pairingId === undefined) return wrong('pairingId', requiredLabel('pairingId', 200));
  const code = label(raw, 'code', 20);
  return code === undefined ? wrong('code', requiredLabel('code', 20)) : valid({ pairingId, code });
};

/** A required, non-empty string. */
function text(raw: unknown, name: string): string | undefined {
  const value = fieldOf(raw, name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const parseLogin: BodyParser<LoginRequest> = (raw) => {
  const name = text(raw, 'name');
  if (name === undefined) return wrong('name', '"name" is required.');
  const password = text(raw, 'password');
  return password === undefined ? wrong('password', '"password" is required.') : valid({ name, password });
};

/** The shape of a new user, its role `user` unless given (the password's strength is the server's to judge). */
export const parseNewUser: BodyParser<NewUserRequest> = (raw) => {
  const name = text(raw, 'name');
  if (name === undefined) return wrong('name', '"name" is required.');
  if (!USER_NAME.test(name)) return wrong('name', '"name": 1 to 32 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.');
  const password = text(raw, 'password');
  if (password === undefined) return wrong('password', '"password" is required.');
  const role = ROLES.find((r) => r === (fieldOf(raw, 'role') ?? 'user'));
  return role === undefined ? wrong('role', '"role" must be admin, user or viewer.') : valid({ name, password, role });
};
