import type { Download } from '../../../shared/api.ts';
import { HAUL_VERSION } from '../../../shared/version.ts';
import { DEFAULT_USER_AGENT } from '../../engine/input/request-headers.ts';
import { canSee, isAdmin } from '../accounts/identify.ts';
import { GLOBAL_OPTION_DEFAULTS } from './aria2-defaults.ts';
import { settingsChangeOf } from './aria2-options.ts';
import { locate, rootOf, sourceOf, visible, type Aria2Context, type Aria2Method } from './aria2-context.ts';
import { RpcError } from './rpc-error.ts';

/** The aria2 version whose interface Haul answers as (clients check it before using newer calls). */
export const ARIA2_INTERFACE_VERSION = '1.37.0';

const isWaiting = (d: Download): boolean => d.status === 'queued' || d.status === 'scheduled' || d.status === 'paused';
const isStopped = (d: Download): boolean => d.status === 'completed' || d.status === 'failed';

/** The lists and what describes all downloads at once. */
export const LIST_METHODS: Readonly<Record<string, Aria2Method>> = {
  'aria2.tellActive': {
    access: 'read',
    run: (ctx, args) => {
      const keys = args.keys(0);
      return ctx.statuses.list(
        visible(ctx, (d) => d.status === 'downloading').map((d) => sourceOf(ctx, d, false)),
        keys,
      );
    },
  },
  'aria2.tellWaiting': {
    access: 'read',
    run: (ctx, args) => {
      const page = window(visible(ctx, isWaiting), args.integer(0), args.integer(1));
      const keys = args.keys(2);
      return ctx.statuses.list(
        page.map((d) => sourceOf(ctx, d, false)),
        keys,
      );
    },
  },
  'aria2.tellStopped': {
    access: 'read',
    run: (ctx, args) => {
      const stopped: Array<{ d: Download; removed: boolean }> = visible(ctx, isStopped).map((d) => ({ d, removed: false }));
      for (const [, d] of ctx.removed.entries()) if (canSee(ctx.principal, d)) stopped.push({ d, removed: true });
      const keys = args.keys(2);
      return ctx.statuses.list(
        window(stopped, args.integer(0), args.integer(1)).map(({ d, removed }) => sourceOf(ctx, d, removed)),
        keys,
      );
    },
  },
  'aria2.changePosition': {
    access: 'write',
    run: (ctx, args) => {
      const found = locate(ctx, args.gid(0));
      const pos = args.integer(1);
      const how = args.string(2);
      const waiting = visible(ctx, isWaiting);
      const at = waiting.findIndex((d) => d.id === found.download.id);
      if (found.removed || at < 0) throw new RpcError(1, `GID#${found.gid} not found in the waiting queue.`);
      const base = how === 'POS_SET' ? 0 : how === 'POS_CUR' ? at : how === 'POS_END' ? waiting.length - 1 : Number.NaN;
      if (Number.isNaN(base)) throw new RpcError(1, `"${how.slice(0, 20)}" is not POS_SET, POS_CUR or POS_END.`);
      return placeInWaiting(ctx, found.download.id, base + pos);
    },
  },
  'aria2.getGlobalStat': {
    access: 'read',
    run: (ctx) => {
      let [speed, active, waiting, stopped] = [0, 0, 0, 0];
      for (const d of ctx.engine.list()) {
        if (!canSee(ctx.principal, d)) continue;
        if (d.status === 'downloading') [speed, active] = [speed + d.speed, active + 1];
        else if (isWaiting(d)) waiting++;
        else stopped++;
      }
      for (const [, d] of ctx.removed.entries()) if (canSee(ctx.principal, d)) stopped++;
      return {
        downloadSpeed: String(Math.round(speed)),
        uploadSpeed: '0',
        numActive: String(active),
        numWaiting: String(waiting),
        numStopped: String(Math.min(stopped, 1000)),
        numStoppedTotal: String(stopped),
      };
    },
  },
  'aria2.getGlobalOption': {
    access: 'read',
    run: (ctx) => {
      const s = ctx.engine.settings;
      return {
        ...GLOBAL_OPTION_DEFAULTS,
        dir: rootOf(ctx),
        'max-concurrent-downloads': String(s.maxConcurrent),
        'max-overall-download-limit': String(s.speedLimit),
        'max-download-limit': '0',
        split: String(s.connectionsPerDownload),
        'max-connection-per-server': String(s.connectionsPerDownload),
        'user-agent': DEFAULT_USER_AGENT,
      };
    },
  },
  'aria2.changeGlobalOption': {
    access: 'admin',
    run: async (ctx, args) => {
      const change = settingsChangeOf(args.options(0), rootOf(ctx));
      if (!isAdmin(ctx.principal)) throw new RpcError(1, "Only an admin can change Haul's settings.");
      if (Object.keys(change).length > 0) await ctx.changeSettings(change);
      return 'OK';
    },
  },
  'aria2.getVersion': {
    access: 'read',
    run: () => ({ version: ARIA2_INTERFACE_VERSION, enabledFeatures: ['Async DNS', 'HTTPS', 'Message Digest'], haul: HAUL_VERSION }),
  },
  'aria2.getSessionInfo': { access: 'read', run: (ctx) => ({ sessionId: ctx.sessionId }) },
};

/**
 * Moves a download to `position` among the waiting (queued and paused) ones, as aria2 counts
 * them, and returns where it ended up. Haul's queue also holds running and failed downloads:
 * it goes just before the waiting download now at that place (or just after the last one).
 */
export function placeInWaiting(ctx: Aria2Context, id: string, position: number): number {
  const queue = ctx.engine
    .list()
    .filter((d) => d.status !== 'completed')
    .sort((a, b) => a.order - b.order);
  const others = queue.filter((d) => d.id !== id);
  const waiting = others.filter((d) => isWaiting(d) && canSee(ctx.principal, d));
  const wanted = Math.min(waiting.length, Math.max(0, position));
  const anchor = waiting[wanted];
  const last = waiting.at(-1);
  const index = anchor !== undefined ? others.indexOf(anchor) : last !== undefined ? others.indexOf(last) + 1 : others.length;
  ctx.engine.move(id, index);
  return wanted;
}

/**
 * aria2's paging of a list: from `offset` forward, or with a negative offset from that far
 * from the end backwards (-1 is the newest), `num` at most.
 */
function window<T>(list: readonly T[], offset: number, num: number): T[] {
  if (num <= 0) return [];
  if (offset >= 0) return list.slice(offset, offset + num);
  const start = list.length + offset;
  if (start < 0) return [];
  return list.slice(Math.max(0, start - num + 1), start + 1).reverse();
}
