import type { RouteName } from '../../../shared/routes.ts';
import { HaulError, InputError } from '../../engine/errors.ts';
import { readJsonBody } from '../json-body.ts';
import { created, noContent, ok, parseBody, parsedBody, type ApiContext, type RouteHandlers } from '../route-handler.ts';
import { SESSION_COOKIE, sessionCookie } from './identify.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

function accountsOf(ctx: ApiContext) {
  if (ctx.accounts === undefined || !ctx.accounts.enabled()) throw new HaulError('INVALID_STATE', 'Accounts are off: add the first user with "haul user add NAME --role admin".');
  return ctx.accounts;
}

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over https. */
function cookie(ctx: ApiContext, value: string, maxAge: number): string {
  return [`${SESSION_COOKIE}=${value}`, `Path=${ctx.site.path}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`, ...(ctx.site.secure ? ['Secure'] : [])].join('; ');
}

/** Whose tokens a request means: the signed-in user's own (the machine's owner has none). */
function tokenOwner(ctx: ApiContext): string {
  if (ctx.principal.kind !== 'user') throw new HaulError('INVALID_STATE', 'API tokens belong to a user: sign in as that user to make, list or revoke theirs.');
  return ctx.principal.name;
}

export const ACCOUNT_HANDLERS: RouteHandlers<Extract<RouteName, 'getSession' | 'login' | 'logout' | 'listUsers' | 'addUser' | 'removeUser' | 'createToken' | 'listTokens' | 'revokeToken'>> = {
  getSession: ({ accounts, principal }) => ok({ accounts: accounts?.enabled() === true, ...(principal.kind === 'user' ? { user: { name: principal.name, role: principal.role } } : {}) }),
  login: async (ctx) => {
    const accounts = accountsOf(ctx);
    const { name, password } = await parsedBody(ctx.req, 'login');
    const { session, user } = await accounts.login(name, password, ctx.client);
    return { body: { user: { name: user.name, role: user.role } }, headers: { 'set-cookie': cookie(ctx, session, 7 * 24 * 3600) } };
  },
  logout: (ctx) => {
    const session = sessionCookie(ctx.req);
    if (session !== undefined) ctx.accounts?.logout(session);
    return { body: undefined, headers: { 'set-cookie': cookie(ctx, '', 0) } };
  },
  listUsers: (ctx) => ok({ users: accountsOf(ctx).store.list() }),
  addUser: async (ctx) => {
    const store = accountsOf(ctx).store;
    const { name, password, role = 'user' } = await parsedBody(ctx.req, 'addUser');
    const problem = passwordProblem(password);
    if (problem !== undefined) throw new InputError('INVALID_FIELD', `"password": ${problem}`, 'password');
    if (store.get(name) !== undefined) throw new HaulError('INVALID_STATE', `There is already a user "${name}".`);
    const createdAt = new Date().toISOString();
    store.put(name, role, await hashPassword(password), createdAt);
    return created({ user: { name, role, createdAt } });
  },
  removeUser: (ctx) => {
    if (!accountsOf(ctx).store.remove(ctx.params.name)) throw new HaulError('NOT_FOUND', 'There is no such user.');
    return noContent;
  },
  createToken: async (ctx) => {
    const accounts = accountsOf(ctx);
    const name = tokenOwner(ctx);
    const { label } = parseBody('createToken', await readJsonBody(ctx.req).catch(() => ({})));
    return created(accounts.createToken(name, label));
  },
  listTokens: (ctx) => ok({ tokens: accountsOf(ctx).store.listTokens(tokenOwner(ctx)) }),
  revokeToken: (ctx) => {
    if (!accountsOf(ctx).store.removeToken(tokenOwner(ctx), ctx.params.id)) throw new HaulError('NOT_FOUND', 'You have no API token with that id; it may have been revoked already.');
    return noContent;
  },
};
