import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { BulkResult, RouteName } from '../../shared/api.ts';
import type { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/errors.ts';
import { readJsonBody } from './json-body.ts';
import { sendEmpty, sendJson } from './respond.ts';
import type { EventHub } from './sse/event-hub.ts';

export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  engine: Engine;
  hub: EventHub;
  /** Headers every response to this request carries (CORS). */
  headers: Record<string, string>;
}

type Handler = (ctx: ApiContext) => Promise<void> | void;

function booleanQuery(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new InputError('INVALID_FIELD', `"${name}" must be true or false.`, name);
}

/** One handler per route of the shared table; the type makes a missing one a compile error. */
export const API_HANDLERS: Record<RouteName, Handler> = {
  listDownloads: ({ res, engine, headers }) => sendJson(res, 200, { downloads: engine.list() }, headers),
  addDownloads: async ({ req, res, engine, headers }) => {
    const body = await readJsonBody(req);
    sendJson(res, 201, { downloads: engine.add(body) }, headers);
  },
  getDownload: ({ res, engine, params, headers }) => sendJson(res, 200, engine.require(params['id'] ?? ''), headers),
  pauseDownload: ({ res, engine, params, headers }) => sendJson(res, 200, engine.pause(params['id'] ?? ''), headers),
  resumeDownload: ({ res, engine, params, headers }) => sendJson(res, 200, engine.resume(params['id'] ?? ''), headers),
  removeDownload: async ({ res, engine, params, url, headers }) => {
    const deleteFile = booleanQuery(url, 'deleteFile');
    await engine.remove(params['id'] ?? '', { deleteFile });
    sendEmpty(res, 204, headers);
  },
  patchDownload: async ({ req, res, engine, params, headers }) => {
    const body = await readJsonBody(req);
    sendJson(res, 200, await engine.refreshUrl(params['id'] ?? '', refreshedUrl(body)), headers);
  },
  getSettings: ({ res, engine, headers }) => sendJson(res, 200, engine.settings, headers),
  patchSettings: async ({ req, res, engine, headers }) => {
    const body = await readJsonBody(req);
    const dir = (body as { downloadDir?: unknown } | null)?.downloadDir;
    if (typeof dir === 'string' && path.isAbsolute(dir)) await assertWritableFolder(dir, 'downloadDir');
    sendJson(res, 200, engine.updateSettings(body), headers);
  },
  events: ({ req, res, hub, url }) => hub.connect(req, res, url.searchParams.get('lastEventId')),
  pauseAll: ({ res, engine, headers }) => sendJson(res, 200, { count: engine.pauseAll() } satisfies BulkResult, headers),
  resumeAll: ({ res, engine, headers }) => sendJson(res, 200, { count: engine.resumeAll() } satisfies BulkResult, headers),
  clearCompleted: async ({ res, engine, headers }) => sendJson(res, 200, { count: await engine.clearCompleted() } satisfies BulkResult, headers),
  listHosts: ({ res, engine, headers }) => sendJson(res, 200, { hosts: engine.hostLimits() }, headers),
  resetHost: ({ res, engine, params, headers }) => {
    engine.resetHostLimit(params['host'] ?? '');
    sendEmpty(res, 204, headers);
  },
};

/** The one field `PATCH /api/downloads/:id` takes. */
function refreshedUrl(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('INVALID_FIELD', 'The body must be a JSON object such as {"url": "https://…"}.', 'body');
  const extra = Object.keys(body).filter((key) => key !== 'url');
  if (extra.length > 0) throw new InputError('INVALID_FIELD', `"${extra[0]}" cannot be changed; only "url" (a refreshed link for the same file) can.`, extra[0]);
  if (!('url' in body)) throw new InputError('INVALID_FIELD', '"url" is required: the refreshed link for the same file.', 'url');
  return (body as { url: unknown }).url;
}

/** A download folder set through the API must already exist and be writable: Haul creates no folder there. */
async function assertWritableFolder(dir: string, field: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await fs.stat(dir);
  } catch {
    throw new InputError('INVALID_FIELD', `"${field}": ${dir} does not exist. Create the folder first, or choose one that exists.`, field);
  }
  if (!stats.isDirectory()) throw new InputError('INVALID_FIELD', `"${field}": ${dir} is not a folder.`, field);
  try {
    await fs.access(dir, fsConstants.W_OK);
  } catch {
    throw new InputError('INVALID_FIELD', `"${field}": Haul cannot write to ${dir}. Choose a folder you can write to.`, field);
  }
}
