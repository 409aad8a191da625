import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Download } from '../../shared/api.ts';
import type { RouteName } from '../../shared/routes.ts';
import { clearCompleted, pauseAll, removeFailed, resumeAll, retryFailed } from '../engine/queue/bulk-actions.ts';
import type { Engine } from '../engine/engine.ts';
import { HaulError, InputError, StateError } from '../engine/errors.ts';
import { sendFile } from './file-response.ts';
import { EXTENSION_HANDLERS } from './extension-handlers.ts';
import { ACCOUNT_HANDLERS } from './accounts/account-handlers.ts';
import { canSee, isAdmin, ownerOf } from './accounts/identify.ts';
import { changeSettings } from './settings-change.ts';
import { exportList, importList } from './list-handlers.ts';
import { readJsonBody } from './json-body.ts';
import { created, noContent, ok, parseBody, parsedBody, streamed, type ApiContext, type Reply, type RouteHandler, type RouteHandlers, type Streamed } from './route-handler.ts';
import { NODE_HANDLERS } from './cluster/node-handlers.ts';

function booleanQuery(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new InputError('INVALID_FIELD', `"${name}" must be true or false.`, name);
}

/** One handler per route of the shared table; the type makes a missing one (or a wrong answer) a compile error. */
export const API_HANDLERS: RouteHandlers<RouteName> = {
  ...EXTENSION_HANDLERS,
  ...ACCOUNT_HANDLERS,
  ...NODE_HANDLERS,
  listDownloads: ({ engine, principal }) => ok({ downloads: engine.list().filter((d) => canSee(principal, d)) }),
  addDownloads: async ({ req, engine, principal }) => created({ downloads: engine.add(await parsedBody(req, 'addDownloads'), ownerOf(principal, engine.settings.downloadDir)) }),
  getDownload: ({ engine, params }) => ok(engine.require(params.id)),
  pauseDownload: ({ engine, params }) => ok(engine.pause(params.id)),
  resumeDownload: ({ engine, params }) => ok(engine.resume(params.id)),
  startNow: ({ engine, params }) => ok(engine.startNow(params.id)),
  cancelWhenDone: ({ whenDone }) => ok({ cancelled: whenDone.cancel() }),
  importList: async ({ req, engine, principal }) => ok(importList(engine, principal, (await parsedBody(req, 'importList')).text)),
  exportList: ({ engine, principal, url }) => ok(exportList(engine, principal, url.searchParams.get('format'))),
  removeDownload: async ({ engine, params, url }) => {
    await engine.remove(params.id, { deleteFile: booleanQuery(url, 'deleteFile') });
    return noContent;
  },
  patchDownload: async ({ req, engine, params }) => ok(await engine.patch(params.id, await parsedBody(req, 'patchDownload'))),
  getDetails: async ({ engine, params, cluster }) => ok(cluster === undefined ? engine.details(params.id) : await cluster.details(params.id, () => engine.details(params.id))),
  moveDownload: async ({ req, engine, params }) => ok(engine.move(params.id, (await parsedBody(req, 'moveDownload')).to)),
  openDownload: async ({ req, engine, params, opener }) => {
    const { confirmRisky } = parseBody('openDownload', await optionalJsonBody(req));
    const { download, file } = await finishedFile(engine, params.id);
    if (download.risky && !confirmRisky) {
      throw new HaulError(
        'CONFIRMATION_REQUIRED',
        `"${download.filename}" is a program or script: opening it runs it. Open it only if you trust where it came from, and then confirm (send {"confirmRisky": true}).`,
      );
    }
    await opener.open(file);
    return ok(download);
  },
  revealDownload: async ({ engine, params, opener }) => {
    const { download, file } = await finishedFile(engine, params.id);
    await opener.reveal(file);
    return ok(download);
  },
  downloadFile: async ({ req, res, engine, params, headers }) => {
    const { download, file, stats } = await finishedFile(engine, params.id);
    sendFile(req, res, file, download.filename, stats, headers);
    return streamed();
  },
  checkLinks: async ({ req, engine, principal }) => {
    const body = await parsedBody(req, 'checkLinks');
    const who = ownerOf(principal, engine.settings.downloadDir);
    return ok({ items: await engine.checkLinks(body.urls, body.dir, (owner) => canSee(principal, { owner }), who) });
  },
  probeStream: async ({ req, engine }) => {
    return ok(await engine.probeStream((await parsedBody(req, 'probeStream')).url));
  },
  probeTorrent: async ({ req, engine }) => ok(engine.probeTorrent((await parsedBody(req, 'probeTorrent')).torrent)),
  getPeers: async ({ engine, params }) => ok({ peers: await engine.peers(params.id) }),
  getSettings: ({ engine }) => ok(engine.settings),
  patchSettings: async ({ req, engine, rpc }) => ok(await changeSettings(engine, await parsedBody(req, 'patchSettings'), rpc)),
  events: ({ req, res, hub, url, principal }) => {
    hub.connect(
      req,
      res,
      url.searchParams.get('lastEventId'),
      // Pairing codes go only to whoever may approve a browser: the machine's owner or an admin.
      isAdmin(principal) ? 'interface' : 'watcher',
      principal.kind === 'user' && principal.role === 'user' ? principal.name : undefined,
    );
    return streamed();
  },
  pauseAll: ({ engine, principal }) => ok({ count: pauseAll(engine, (d) => canSee(principal, d)) }),
  resumeAll: ({ engine, principal }) => ok({ count: resumeAll(engine, (d) => canSee(principal, d)) }),
  retryFailed: ({ engine, principal }) => ok({ count: retryFailed(engine, (d) => canSee(principal, d)) }),
  clearCompleted: async ({ engine, principal }) => ok({ count: await clearCompleted(engine, (d) => canSee(principal, d)) }),
  removeFailed: async ({ engine, principal }) => ok({ count: await removeFailed(engine, (d) => canSee(principal, d)) }),
  listHosts: ({ engine, principal }) => {
    const hosts = engine.hostLimits();
    if (isAdmin(principal)) return ok({ hosts });
    // Anyone else learns only about the hosts of downloads they can see.
    const seen = new Set(engine.list().flatMap((d) => (canSee(principal, d) ? [hostOf(d.url)] : [])));
    return ok({ hosts: hosts.filter((h) => seen.has(h.host)) });
  },
  resetHost: ({ engine, params }) => {
    engine.resetHostLimit(params.host);
    return noContent;
  },
};

/** Runs the handler of route `name` with its path parameters: its reply, or STREAMED when it answered itself. */
export async function runHandler<N extends RouteName>(name: N, params: Record<string, string>, ctx: ApiContext): Promise<Reply<unknown> | Streamed> {
  const handler: RouteHandler<N> = API_HANDLERS[name];
  return handler({ ...ctx, params });
}

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
