import { pauseAll } from '../../engine/queue/bulk-actions.ts';
import { canSee, ownerOf } from '../accounts/identify.ts';
import { addRequestOf, downloadChangeOf } from './aria2-options.ts';
import { filesOf, statusStruct, urisOf } from './aria2-status.ts';
import { locate, optionsOf, rootOf, sourceOf, visible, type Aria2Context, type Aria2Method, type Located } from './aria2-context.ts';
import { LIST_METHODS, placeInWaiting } from './aria2-lists.ts';
import { RpcError } from './rpc-error.ts';

/** aria2's answer for a download in the wrong state for a call, word for word. */
function cannot(found: Located, what: string): RpcError {
  return new RpcError(1, `GID#${found.gid} cannot be ${what} now`);
}

/** Every aria2.* method Haul answers, with who may call it. */
export const ARIA2_METHODS: Readonly<Record<string, Aria2Method>> = {
  ...LIST_METHODS,
  'aria2.addUri': {
    access: 'write',
    run: (ctx, args) => {
      const uris = args.strings(0);
      if (uris.length === 0) throw new RpcError(1, 'No URI to download: the first parameter is an empty list.');
      // Several URIs are mirrors of one file to aria2; Haul downloads a file from one link.
      const request = addRequestOf(uris.slice(0, 1), args.options(1), rootOf(ctx));
      const [added] = ctx.engine.add(request, ownerOf(ctx.principal, ctx.engine.settings.downloadDir));
      if (added === undefined) throw new RpcError(1, 'Nothing was added.');
      if (args.has(2)) placeInWaiting(ctx, added.id, args.integer(2));
      return ctx.gids.gid(added.id);
    },
  },
  'aria2.remove': { access: 'write', run: (ctx, args) => remove(ctx, locate(ctx, args.gid(0))) },
  'aria2.forceRemove': { access: 'write', run: (ctx, args) => remove(ctx, locate(ctx, args.gid(0))) },
  'aria2.pause': { access: 'write', run: (ctx, args) => pause(ctx, locate(ctx, args.gid(0))) },
  'aria2.forcePause': { access: 'write', run: (ctx, args) => pause(ctx, locate(ctx, args.gid(0))) },
  'aria2.pauseAll': { access: 'write', run: (ctx) => pauseEvery(ctx) },
  'aria2.forcePauseAll': { access: 'write', run: (ctx) => pauseEvery(ctx) },
  'aria2.unpause': {
    access: 'write',
    run: (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      if (found.removed || found.download.status !== 'paused') throw cannot(found, 'unpaused');
      ctx.engine.resume(found.download.id);
      return found.gid;
    },
  },
  'aria2.unpauseAll': {
    access: 'write',
    run: (ctx) => {
      for (const d of visible(ctx)) if (d.status === 'paused') ctx.engine.resume(d.id);
      return 'OK';
    },
  },
  'aria2.tellStatus': {
    access: 'read',
    run: (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      return statusStruct(sourceOf(ctx, found.download, found.removed), args.keys(1));
    },
  },
  'aria2.getUris': { access: 'read', run: (ctx, args) => urisOf(locate(ctx, args.gid(0)).download) },
  'aria2.getFiles': {
    access: 'read',
    run: (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      return filesOf(found.download, found.removed);
    },
  },
  'aria2.getPeers': {
    access: 'read',
    run: (ctx, args) => {
      locate(ctx, args.gid(0));
      return [];
    },
  },
  'aria2.getServers': {
    access: 'read',
    run: (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      const d = found.download;
      if (found.removed || d.status !== 'downloading') throw new RpcError(1, `No active download for GID#${found.gid}`);
      return [{ index: '1', servers: [{ uri: d.url, currentUri: d.finalUrl ?? d.url, downloadSpeed: String(Math.round(d.speed)) }] }];
    },
  },
  'aria2.getOption': { access: 'read', run: (ctx, args) => optionsOf(ctx, locate(ctx, args.gid(0))) },
  'aria2.changeOption': {
    access: 'write',
    run: async (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      const change = downloadChangeOf(args.options(1));
      if (found.removed) throw cannot(found, 'changed');
      if (Object.keys(change).length > 0) await ctx.engine.patch(found.download.id, change);
      return 'OK';
    },
  },
  'aria2.changeUri': {
    access: 'write',
    run: async (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      args.integer(1);
      const deleted = args.strings(2);
      const added = args.strings(3);
      if (added.length === 0) throw new RpcError(1, 'Haul keeps one link per download: give the new link to add (the old one is replaced).');
      if (found.removed) throw cannot(found, 'changed');
      await ctx.engine.refreshUrl(found.download.id, added[0]);
      return [deleted.length > 0 ? 1 : 0, 1];
    },
  },
  'aria2.removeDownloadResult': {
    access: 'write',
    run: async (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      if (found.removed) ctx.removed.delete(found.gid);
      else if (found.download.status === 'completed' || found.download.status === 'failed') await ctx.engine.remove(found.download.id);
      else throw new RpcError(1, `Could not remove download result of GID#${found.gid}`);
      return 'OK';
    },
  },
  'aria2.purgeDownloadResult': {
    access: 'write',
    run: async (ctx) => {
      for (const d of visible(ctx)) if (d.status === 'completed' || d.status === 'failed') await ctx.engine.remove(d.id);
      for (const [gid, d] of ctx.removed.entries()) if (canSee(ctx.principal, d)) ctx.removed.delete(gid);
      return 'OK';
    },
  },
  'aria2.addTorrent': {
    access: 'write',
    run: (ctx, args) => {
      // The torrent's bytes in base64; its web seeds (the URIs) are not used: peers are.
      const { urls: _none, ...request } = addRequestOf([], args.has(2) ? args.options(2) : {}, rootOf(ctx));
      const [added] = ctx.engine.add({ ...request, torrent: args.string(0) }, ownerOf(ctx.principal, ctx.engine.settings.downloadDir));
      if (added === undefined) throw new RpcError(1, 'Nothing was added.');
      if (args.has(3)) placeInWaiting(ctx, added.id, args.integer(3));
      return ctx.gids.gid(added.id);
    },
  },
  'aria2.addMetalink': { access: 'write', run: () => notYet('Metalink files') },
  'aria2.shutdown': { access: 'write', run: () => noRemoteStop() },
  'aria2.forceShutdown': { access: 'write', run: () => noRemoteStop() },
  'aria2.saveSession': { access: 'write', run: () => noRemoteStop() },
};

async function remove(ctx: Aria2Context, found: Located): Promise<string> {
  const d = found.download;
  if (found.removed || d.status === 'completed' || d.status === 'failed') throw cannot(found, 'removed');
  await ctx.engine.remove(d.id);
  ctx.removed.add(found.gid, Object.freeze({ ...d, speed: 0, connections: 0 }));
  return found.gid;
}

function pause(ctx: Aria2Context, found: Located): string {
  const status = found.download.status;
  if (found.removed || (status !== 'queued' && status !== 'downloading')) throw cannot(found, 'paused');
  ctx.engine.pause(found.download.id);
  return found.gid;
}

function pauseEvery(ctx: Aria2Context): string {
  pauseAll(ctx.engine, (d) => canSee(ctx.principal, d));
  return 'OK';
}

function notYet(what: string): never {
  throw new RpcError(1, `Haul does not download ${what} yet; add a link with aria2.addUri.`);
}

function noRemoteStop(): never {
  throw new RpcError(1, 'Haul is not stopped, and keeps its list itself, on a remote call: quit it from its window or its terminal.');
}
