import type { RouteName } from '../../shared/routes.ts';
import { HAUL_VERSION } from '../../shared/version.ts';
import { pauseAll } from '../engine/queue/bulk-actions.ts';
import { HaulError } from '../engine/errors.ts';
import { canSee, ownerOf } from './accounts/identify.ts';
import { created, noContent, ok, parsedBody, streamed, type ApiContext, type RouteHandlers } from './route-handler.ts';

const paired = (ctx: ApiContext) => {
  if (ctx.browser === undefined) throw new HaulError('NOT_PAIRED', 'This browser is not paired with Haul. Pair it from the extension.');
  return ctx.browser;
};

/** The browser extension's routes, and the ones Haul's own window uses to manage paired browsers. */
export const EXTENSION_HANDLERS: RouteHandlers<Extract<RouteName, `ext${string}` | 'listPaired' | 'revokePaired' | 'refusePairing'>> = {
  extHello: () => ok({ app: 'haul', version: HAUL_VERSION }),
  extPairStart: async ({ req, pairings, origin }) => {
    const request = pairings.start(origin ?? '', (await parsedBody(req, 'extPairStart')).browser);
    return created({ pairingId: request.pairingId, expiresAt: request.expiresAt });
  },
  extPairComplete: async ({ req, pairings, origin }) => {
    const { pairingId, code } = await parsedBody(req, 'extPairComplete');
    const done = pairings.complete(origin ?? '', pairingId, code);
    return ok({ token: done.token, browserId: done.browserId });
  },
  extHandoff: async (ctx) => {
    const browser = paired(ctx);
    const answer = ctx.handoffs.accept(browser.id, await parsedBody(ctx.req, 'extHandoff'), ownerOf(ctx.principal, ctx.engine.settings.downloadDir));
    return answer.repeated ? ok(answer) : created(answer);
  },
  extEvents: (ctx) => {
    paired(ctx);
    ctx.hub.connect(ctx.req, ctx.res, null, 'extension', ctx.principal.kind === 'user' && ctx.principal.role === 'user' ? ctx.principal.name : undefined);
    return streamed();
  },
  extPauseAll: (ctx) => {
    paired(ctx);
    return ok({ count: pauseAll(ctx.engine, (d) => canSee(ctx.principal, d)) });
  },
  extShowHaul: async (ctx) => {
    paired(ctx);
    await ctx.showHaul();
    return noContent;
  },
  listPaired: ({ pairings }) => ok({ browsers: pairings.list(), pending: pairings.pending() }),
  revokePaired: ({ pairings, params }) => {
    pairings.revoke(params.id);
    return noContent;
  },
  refusePairing: ({ pairings, params }) => {
    pairings.refuse(params.id);
    return noContent;
  },
};
