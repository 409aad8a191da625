import type { RouteName } from '../../shared/routes.ts';
import { HAUL_VERSION } from '../../shared/version.ts';
import { pauseAll } from '../engine/queue/bulk-actions.ts';
import { HaulError, InputError } from '../engine/errors.ts';
import { canSee, ownerOf } from './accounts/identify.ts';
import { readJsonBody } from './json-body.ts';
import { created, noContent, ok, streamed, type ApiContext, type RouteHandlers } from './route-handler.ts';

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
export const EXTENSION_HANDLERS: RouteHandlers<Extract<RouteName, `ext${string}` | 'listPaired' | 'revokePaired' | 'refusePairing'>> = {
  extHello: () => ok({ app: 'haul', version: HAUL_VERSION }),
  extPairStart: async ({ req, pairings, origin }) => {
    const request = pairings.start(origin ?? '', field(await readJsonBody(req), 'browser'));
    return created({ pairingId: request.pairingId, expiresAt: request.expiresAt });
  },
  extPairComplete: async ({ req, pairings, origin }) => {
    const body = await readJsonBody(req);
    const done = pairings.complete(origin ?? '', field(body, 'pairingId'), field(body, 'code', 20));
    return ok({ token: done.token, browserId: done.browserId });
  },
  extHandoff: async (ctx) => {
    const browser = paired(ctx);
    const answer = ctx.handoffs.accept(browser.id, await readJsonBody(ctx.req), ownerOf(ctx.principal, ctx.engine.settings.downloadDir));
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
