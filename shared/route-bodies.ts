/**
 * The request bodies of the sign-in, pairing, queue and node routes, parsed once here and
 * declared with their routes (routes.ts); the download routes' are in download-bodies.ts. A
 * parser says what is wrong with a body's shape; what needs Haul's state or this machine (a
 * folder allowed, a certificate read) is checked where that state is, after it.
 */
import { ROLES, USER_NAME, type LoginRequest, type NewUserRequest } from './accounts-api.ts';
import { MOVE_TARGETS, type DrainRequest, type MoveRequest } from './api.ts';
import { checkDownloadUrl } from './url.ts';
import type { HandoffRequest, PairCompleteRequest, PairStartRequest } from './extension-api.ts';

/** Links one add or one check may carry. */
export const MAX_LINKS = 10_000;

/** A body as its parser reads it: the typed value, or the field that is wrong and why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string; code?: 'INVALID_FIELD' | 'INVALID_URL' | 'UNSUPPORTED_PROTOCOL' | undefined };
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

const HANDOFF_OPTIONAL = ['finalUrl', 'referrer', 'pageUrl', 'filename', 'mime', 'userAgent', 'cookie'] as const;

/** A browser download handed over by the extension: its key and link, and what the browser would have sent for it. */
export const parseHandoff: BodyParser<HandoffRequest> = (raw) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return wrong('body', 'The body must be a JSON object describing the download.');
  const textOf = (name: string): string | undefined | false => {
    const value = fieldOf(raw, name);
    return value === undefined ? undefined : typeof value === 'string' && value.length <= 16_384 ? value : false;
  };
  const mustBeText = (name: string) => wrong<HandoffRequest>(name, `"${name}" must be a string (at most 16 KiB).`);
  const key = textOf('key');
  if (key === false) return mustBeText('key');
  if (key === undefined || key.length < 8) return wrong('key', '"key" is required: a unique id for this browser download (8 characters or more).');
  const url = textOf('url');
  if (url === false) return mustBeText('url');
  if (url === undefined) return wrong('url', '"url" is required.');
  const size = fieldOf(raw, 'size');
  if (size !== undefined && (typeof size !== 'number' || size < 0)) return wrong('size', '"size" must be a number of bytes.');
  const request: HandoffRequest = { key, url };
  for (const name of HANDOFF_OPTIONAL) {
    const value = textOf(name);
    if (value === false) return mustBeText(name);
    if (value !== undefined) request[name] = value;
  }
  if (size !== undefined) request.size = size;
  return valid(request);
};

/** Links to check before adding, and the folder they would go to (`POST /api/actions/check-links`). */
export const parseCheckLinksBody: BodyParser<{ urls: string[]; dir?: string | undefined }> = (raw) => {
  const dirField = fieldOf(raw, 'dir');
  if (dirField !== undefined && (typeof dirField !== 'string' || dirField === '')) return wrong('dir', '"dir" must be a folder path.');
  const urls = fieldOf(raw, 'urls');
  if (!Array.isArray(urls) || urls.length === 0 || urls.length > MAX_LINKS) return wrong('urls', `"urls" must be a list of 1 to ${MAX_LINKS} links.`);
  const out: string[] = [];
  for (const [i, item] of urls.entries()) {
    const check = checkDownloadUrl(item);
    if (!check.ok) return { ok: false, field: 'urls', message: `urls[${i}]: ${check.message}`, code: check.code };
    out.push(check.url.href);
  }
  return valid({ urls: out, dir: dirField as string | undefined });
};

/** A link to look at before adding it (`POST /api/actions/probe-stream`). */
export const parseProbeBody: BodyParser<{ url: string }> = (raw) => {
  const check = checkDownloadUrl(fieldOf(raw, 'url'));
  return check.ok ? valid({ url: check.url.href }) : { ok: false, field: 'url', message: `url: ${check.message}`, code: check.code };
};

/** A .torrent to look into before adding it (`POST /api/actions/probe-torrent`): its bytes in base64 (read by the engine). */
export const parseProbeTorrentBody: BodyParser<{ torrent: string }> = (raw) => {
  const torrent = fieldOf(raw, 'torrent');
  if (typeof torrent !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/u.test(torrent)) return wrong('torrent', '"torrent" must be a .torrent file\'s bytes in base64.');
  return valid({ torrent });
};

/** Opening a file (`POST /api/downloads/:id/open`): the body is optional; only `confirmRisky: true` confirms. */
export const parseOpenBody: BodyParser<{ confirmRisky: boolean }> = (raw) => valid({ confirmRisky: fieldOf(raw, 'confirmRisky') === true });

/** A new API token's label (`POST /api/tokens`), "API token" unless one is given. */
export const parseTokenBody: BodyParser<{ label: string }> = (raw) => {
  const label = fieldOf(raw, 'label');
  return valid({ label: typeof label === 'string' ? label : 'API token' });
};

/** `POST /api/import`: the list's text (Haul's JSON export, an aria2 input file, or links). */
export const parseImportBody: BodyParser<{ text: string }> = (raw) => {
  const text = fieldOf(raw, 'text');
  if (typeof text !== 'string' || text.trim() === '') return wrong('text', '"text" must be the list to import: Haul\'s JSON export, an aria2 input file, or links one per line.');
  return valid({ text });
};
