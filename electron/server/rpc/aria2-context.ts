import type { Download, Settings } from '../../../shared/api.ts';
import { aria2Checksum } from '../../../shared/download-lists.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Principal } from '../accounts/accounts.ts';
import { canSee, ownerOf } from '../accounts/identify.ts';
import type { StatusSource } from './aria2-status.ts';
import type { GidIndex } from './gids.ts';
import type { StatusJsonCache } from './status-cache.ts';
import type { RemovedResults } from './removed-results.ts';
import { RpcError } from './rpc-error.ts';
import type { RpcArgs } from './rpc-args.ts';
import { DOWNLOAD_OPTION_DEFAULTS } from './aria2-defaults.ts';
import { DEFAULT_USER_AGENT } from '../../engine/input/request-headers.ts';

/** What a method works with: Haul's engine, who is calling, and the RPC layer's own memory. */
export interface Aria2Context {
  engine: Engine;
  principal: Principal;
  gids: GidIndex;
  removed: RemovedResults;
  /** Changes a download folder setting (checked as the settings route checks it). */
  changeSettings: (change: Partial<Settings>) => Promise<Settings>;
  sessionId: string;
  /** Status answers written once per download version. */
  statuses: StatusJsonCache;
}

/** A download a call names by gid: in Haul's list, or removed over RPC and remembered. */
export type Located = { download: Download; gid: string; removed: false } | { download: Download; gid: string; removed: true };

export type Aria2Method = {
  /** Who may call it (as a route's access): reading, changing downloads, or an admin's settings. */
  access: 'read' | 'write' | 'admin';
  run: (ctx: Aria2Context, args: RpcArgs) => unknown;
};

/** The downloads the caller may see (those `which` picks, all by default), in queue order. */
export function visible(ctx: Aria2Context, which: (d: Download) => boolean = () => true): Download[] {
  const found = ctx.engine.list().filter((d) => which(d) && canSee(ctx.principal, d));
  // Usually in order already (the list is kept in creation order; moves are rare): checked before sorting.
  for (let i = 1; i < found.length; i++) if ((found[i - 1]?.order ?? 0) > (found[i]?.order ?? 0)) return found.sort((x, y) => x.order - y.order);
  return found;
}

/** The download behind `gid`; another user's is "not found", as a missing one is. */
export function locate(ctx: Aria2Context, gid: string): Located {
  const id = ctx.gids.find(
    gid,
    ctx.engine.list().map((d) => d.id),
  );
  const download = id === undefined ? undefined : ctx.engine.get(id);
  if (download !== undefined && canSee(ctx.principal, download)) return { download, gid, removed: false };
  const removed = ctx.removed.get(gid);
  if (removed !== undefined && canSee(ctx.principal, removed)) return { download: removed, gid, removed: true };
  throw new RpcError(1, `GID ${gid} is not found`);
}

/** Where the caller's downloads go: their own folder (a user), or the download folder. */
export function rootOf(ctx: Aria2Context): string {
  return ownerOf(ctx.principal, ctx.engine.settings.downloadDir)?.root ?? ctx.engine.settings.downloadDir;
}

/** `getOption`: aria2's values for what Haul does its own way, and Haul's for what it acts on. */
export function optionsOf(ctx: Aria2Context, found: Located): Record<string, string> {
  const d = found.download;
  const connections = String(d.maxConnections === 0 ? ctx.engine.settings.connectionsPerDownload : d.maxConnections);
  const options: Record<string, string> = {
    ...DOWNLOAD_OPTION_DEFAULTS,
    dir: d.dir,
    out: d.filename,
    'max-download-limit': String(d.speedLimit),
    split: connections,
    'max-connection-per-server': connections,
    'user-agent': DEFAULT_USER_AGENT,
  };
  if (d.checksum !== undefined) options['checksum'] = aria2Checksum(d.checksum);
  return options;
}

/** What a status answer is made from; the ranges on disk (for `bitfield`) are read only if asked for. */
export function sourceOf(ctx: Aria2Context, d: Download, removed: boolean): StatusSource {
  return { download: d, gid: ctx.gids.gid(d.id), removed, ranges: () => (removed ? [] : ctx.engine.details(d.id).ranges) };
}
