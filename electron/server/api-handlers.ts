import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { MOVE_TARGETS, type BulkResult, type Download, type MoveTarget } from '../../shared/api.ts';
import type { RouteName } from '../../shared/routes.ts';
import { clearCompleted, pauseAll, removeFailed, resumeAll, retryFailed } from '../engine/bulk-actions.ts';
import type { Engine } from '../engine/engine.ts';
import { HaulError, InputError, StateError } from '../engine/errors.ts';
import { sendFile } from './file-response.ts';
import type { PairedBrowser } from '../../shared/extension-api.ts';
import { EXTENSION_HANDLERS } from './extension-handlers.ts';
import type { Handoffs } from './handoff.ts';
import type { Opener } from './opener.ts';
import type { Pairings } from './pairing.ts';
import type { Accounts, Principal } from './accounts/accounts.ts';
import { ACCOUNT_HANDLERS } from './accounts/account-handlers.ts';
import { canSee, isAdmin, ownerOf } from './accounts/identify.ts';
import { ensureDir } from '../engine/disk/ensure-dir.ts';
import { readJsonBody } from './json-body.ts';
import { sendEmpty, sendJson } from './respond.ts';
import type { EventHub } from './sse/event-hub.ts';
import type { ClusterApi } from './cluster/cluster.ts';
import { NODE_HANDLERS } from './cluster/node-handlers.ts';

export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  engine: Engine;
  hub: EventHub;
  /** Opens files on the machine Haul runs on. */
  opener: Opener;
  pairings: Pairings;
  handoffs: Handoffs;
  /** The request's Origin, when it came with one. */
  origin: string | undefined;
  /** On the extension's routes: the paired browser the token belongs to. */
  browser: PairedBrowser | undefined;
  /** Brings Haul's window to the front (the desktop app), or opens the interface in a browser here. */
  showHaul(): Promise<void>;
  /** Who sent the request (the machine's owner when accounts are off). */
  principal: Principal;
  /** The client's address: the peer's, or through a proxy named with --trust-proxy, the one it forwarded for. */
  client: string;
  accounts: Accounts | undefined;
  /** Several nodes sharing Redis; undefined for one node alone. */
  cluster: ClusterApi | undefined;
  /** Session cookies: Secure when people reach Haul over https; scoped to Haul's path. */
  site: { secure: boolean; path: string };
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
  ...EXTENSION_HANDLERS,
  ...ACCOUNT_HANDLERS,
  ...NODE_HANDLERS,
  listDownloads: ({ res, engine, principal, headers }) => sendJson(res, 200, { downloads: engine.list().filter((d) => canSee(principal, d)) }, headers),
  addDownloads: async ({ req, res, engine, principal, headers }) => {
    const body = await readJsonBody(req);
    sendJson(res, 201, { downloads: engine.add(body, ownerOf(principal, engine.settings.downloadDir)) }, headers);
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
    sendJson(res, 200, await engine.patch(params['id'] ?? '', body), headers);
  },
  getDetails: async ({ res, engine, params, cluster, headers }) => {
    const id = params['id'] ?? '';
    sendJson(res, 200, cluster === undefined ? engine.details(id) : await cluster.details(id, () => engine.details(id)), headers);
  },
  moveDownload: async ({ req, res, engine, params, headers }) => {
    const body = (await readJsonBody(req)) as { to?: unknown } | null;
    const to = body?.to;
    if (typeof to !== 'string' || !MOVE_TARGETS.includes(to as MoveTarget)) throw new InputError('INVALID_FIELD', `"to" must be one of ${MOVE_TARGETS.join(', ')}.`, 'to');
    sendJson(res, 200, engine.move(params['id'] ?? '', to as MoveTarget), headers);
  },
  openDownload: async ({ req, res, engine, params, opener, headers }) => {
    const body = (await optionalJsonBody(req)) as { confirmRisky?: unknown } | null;
    const { download, file } = await finishedFile(engine, params['id'] ?? '');
    if (download.risky && body?.confirmRisky !== true) {
      throw new HaulError(
        'CONFIRMATION_REQUIRED',
        `"${download.filename}" is a program or script: opening it runs it. Open it only if you trust where it came from, and then confirm (send {"confirmRisky": true}).`,
      );
    }
    await opener.open(file);
    sendJson(res, 200, download, headers);
  },
  revealDownload: async ({ res, engine, params, opener, headers }) => {
    const { download, file } = await finishedFile(engine, params['id'] ?? '');
    await opener.reveal(file);
    sendJson(res, 200, download, headers);
  },
  downloadFile: async ({ req, res, engine, params, headers }) => {
    const { download, file, stats } = await finishedFile(engine, params['id'] ?? '');
    sendFile(req, res, file, download.filename, stats, headers);
  },
  checkLinks: async ({ req, res, engine, principal, headers }) => {
    const body = (await readJsonBody(req)) as { urls?: unknown; dir?: unknown } | null;
    const who = ownerOf(principal, engine.settings.downloadDir);
    sendJson(res, 200, { items: await engine.checkLinks(body?.urls, body?.dir, (owner) => canSee(principal, { ...(owner === undefined ? {} : { owner }) }), who) }, headers);
  },
  getSettings: ({ res, engine, headers }) => sendJson(res, 200, engine.settings, headers),
  patchSettings: async ({ req, res, engine, headers }) => {
    const body = await readJsonBody(req);
    const dir = (body as { downloadDir?: unknown } | null)?.downloadDir;
    if (typeof dir === 'string' && path.isAbsolute(dir)) {
      engine.checkDownloadFolder(dir);
      await assertWritableFolder(dir, 'downloadDir');
    }
    sendJson(res, 200, engine.updateSettings(body), headers);
  },
  events: ({ req, res, hub, url, principal }) =>
    hub.connect(
      req,
      res,
      url.searchParams.get('lastEventId'),
      // Pairing codes go only to whoever may approve a browser: the machine's owner or an admin.
      isAdmin(principal) ? 'interface' : 'watcher',
      principal.kind === 'user' && principal.role === 'user' ? principal.name : undefined,
    ),
  pauseAll: ({ res, engine, principal, headers }) => sendJson(res, 200, { count: pauseAll(engine, (d) => canSee(principal, d)) } satisfies BulkResult, headers),
  resumeAll: ({ res, engine, principal, headers }) => sendJson(res, 200, { count: resumeAll(engine, (d) => canSee(principal, d)) } satisfies BulkResult, headers),
  retryFailed: ({ res, engine, principal, headers }) => sendJson(res, 200, { count: retryFailed(engine, (d) => canSee(principal, d)) } satisfies BulkResult, headers),
  clearCompleted: async ({ res, engine, principal, headers }) => sendJson(res, 200, { count: await clearCompleted(engine, (d) => canSee(principal, d)) } satisfies BulkResult, headers),
  removeFailed: async ({ res, engine, principal, headers }) => sendJson(res, 200, { count: await removeFailed(engine, (d) => canSee(principal, d)) } satisfies BulkResult, headers),
  listHosts: ({ res, engine, principal, headers }) => {
    const hosts = engine.hostLimits();
    if (isAdmin(principal)) return sendJson(res, 200, { hosts }, headers);
    // Anyone else learns only about the hosts of downloads they can see.
    const seen = new Set(engine.list().flatMap((d) => (canSee(principal, d) ? [hostOf(d.url)] : [])));
    sendJson(res, 200, { hosts: hosts.filter((h) => seen.has(h.host)) }, headers);
  },
  resetHost: ({ res, engine, params, headers }) => {
    engine.resetHostLimit(params['host'] ?? '');
    sendEmpty(res, 204, headers);
  },
};

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : '';
}

/** A body that may be left out (an empty POST): absent is null. */
function optionalJsonBody(req: IncomingMessage): Promise<unknown> {
  const empty = req.headers['content-length'] === '0' || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined);
  return empty ? Promise.resolve(null) : readJsonBody(req);
}

/** A completed download's file, still where Haul put it. */
async function finishedFile(engine: Engine, id: string): Promise<{ download: Download; file: string; stats: Stats }> {
  const download = engine.require(id);
  if (download.status !== 'completed') throw new StateError(`"${download.filename}" is ${download.status}; only a completed download has a file to open.`);
  const file = path.join(download.dir, download.filename);
  const stats = await fs.stat(file).catch(() => undefined);
  if (stats?.isFile() !== true) throw new HaulError('NOT_FOUND', `The file is no longer at ${file}: it was moved or deleted. Download it again to get it back.`);
  return { download, file, stats };
}

/**
 * A download folder set through the API must exist or be creatable (it is created, with a
 * bounded walk) and be writable; otherwise the setting is refused and the error says why.
 */
async function assertWritableFolder(dir: string, field: string): Promise<void> {
  try {
    await ensureDir(dir);
  } catch (cause) {
    throw new InputError('INVALID_FIELD', `"${field}": ${cause instanceof Error ? cause.message : String(cause)}`, field, { cause });
  }
  try {
    await fs.access(dir, fsConstants.W_OK);
  } catch {
    throw new InputError('INVALID_FIELD', `"${field}": Haul cannot write to ${dir}. Choose a folder you can write to.`, field);
  }
}
