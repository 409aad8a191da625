import type { RouteName } from '../../shared/routes.ts';
import type { HelloResponse, PairCompleteResponse, PairStartResponse } from '../../shared/extension-api.ts';
import { HAUL_VERSION } from '../../shared/version.ts';
import { pauseAll } from '../engine/bulk-actions.ts';
import { HaulError, InputError } from '../engine/errors.ts';
import { canSee, ownerOf } from './accounts/identify.ts';
import type { ApiContext } from './api-handlers.ts';
import { readJsonBody } from './json-body.ts';
import { sendEmpty, sendJson } from './respond.ts';

type Handler = (ctx: ApiContext) => Promise<void> | void;

const paired = (ctx: ApiContext) => {
  if (ctx.browser === undefined) throw new HaulError('NOT_PAIRED', 'This browser is not paired with Haul. Pair it from the extension.');
  return ctx.browser;
};

function field(body: unknown, name: string, max = 200): string {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) throw new InputError('INVALID_FIELD', `"${name}" is required (a string of at most ${max} characters).`, name);
  return value;
}

/** The browser extension's routes, and the ones Haul's own window uses to manage paired browsers. */
export const EXTENSION_HANDLERS: Record<Extract<RouteName, `ext${string}` | 'listPaired' | 'revokePaired' | 'refusePairing'>, Handler> = {
  extHello: ({ res, headers }) => sendJson(res, 200, { app: 'haul', version: HAUL_VERSION } satisfies HelloResponse, headers),
  extPairStart: async ({ req, res, pairings, origin, headers }) => {
    const request = pairings.start(origin ?? '', field(await readJsonBody(req), 'browser'));
    sendJson(res, 201, { pairingId: request.pairingId, expiresAt: request.expiresAt } satisfies PairStartResponse, headers);
  },
  extPairComplete: async ({ req, res, pairings, origin, headers }) => {
    const body = await readJsonBody(req);
    const done = pairings.complete(origin ?? '', field(body, 'pairingId'), field(body, 'code', 20));
    sendJson(res, 200, { token: done.token, browserId: done.browserId } satisfies PairCompleteResponse, headers);
  },
  extHandoff: async (ctx) => {
    const browser = paired(ctx);
    const answer = ctx.handoffs.accept(browser.id, await readJsonBody(ctx.req), ownerOf(ctx.principal, ctx.engine.settings.downloadDir));
    sendJson(ctx.res, answer.repeated ? 200 : 201, answer, ctx.headers);
  },
  extEvents: (ctx) => {
    paired(ctx);
    ctx.hub.connect(ctx.req, ctx.res, null, 'extension', ctx.principal.kind === 'user' && ctx.principal.role === 'user' ? ctx.principal.name : undefined);
  },
  extPauseAll: (ctx) => {
    paired(ctx);
    sendJson(ctx.res, 200, { count: pauseAll(ctx.engine, (d) => canSee(ctx.principal, d)) }, ctx.headers);
  },
  extShowHaul: async (ctx) => {
    paired(ctx);
    await ctx.showHaul();
    sendEmpty(ctx.res, 204, ctx.headers);
  },
  listPaired: ({ res, pairings, headers }) => sendJson(res, 200, { browsers: pairings.list(), pending: pairings.pending() }, headers),
  revokePaired: ({ res, pairings, params, headers }) => {
    pairings.revoke(params['id'] ?? '');
    sendEmpty(res, 204, headers);
  },
  refusePairing: ({ res, pairings, params, headers }) => {
    pairings.refuse(params['id'] ?? '');
    sendEmpty(res, 204, headers);
  },
};
