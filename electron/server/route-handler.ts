import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PairedBrowser } from '../../shared/extension-api.ts';
import { ROUTES, type BodyParsedRoute, type RouteAnswer, type RouteName, type RouteValue } from '../../shared/routes.ts';
import { mustParse } from '../engine/input/must-parse.ts';
import type { BodyParser } from '../../shared/route-bodies.ts';
import { readJsonBody } from './json-body.ts';
import type { Engine } from '../engine/engine.ts';
import type { Accounts, Principal } from './accounts/accounts.ts';
import type { ClusterApi } from './cluster/cluster.ts';
import type { Handoffs } from './handoff.ts';
import type { Opener } from './opener.ts';
import type { Pairings } from './pairing.ts';
import { sendEmpty, sendJson } from './respond.ts';
import type { EventHub } from './sse/event-hub.ts';

/** What every handler gets: the request, who sent it, and Haul's parts. */
export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
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
  /** The whenDone countdown, which any window may cancel. */
  whenDone: { cancel(): boolean };
  /** aria2's RPC, whose own port a settings change may move. */
  rpc: { openPort(port: number): Promise<void> };
  /** Headers every response to this request carries (CORS), for the routes that write their own. */
  headers: Record<string, string>;
}

/** The `:name` parameters of a path. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;

/** A handler's context: the route's own path parameters, named. */
export interface RouteContext<N extends RouteName> extends ApiContext {
  params: Record<ParamNames<(typeof ROUTES)[N]['path']>, string>;
}

/** A JSON route's answer as its handler gives it: the body (undefined: 204), with a status or headers beside the usual. */
export interface Reply<A> {
  status?: number;
  headers?: Record<string, string>;
  body: A;
}

/** Returned by the handlers of routes that answer with a stream or a file, which write their response themselves. */
export const STREAMED: { readonly streamed: true } = Object.freeze({ streamed: true });
export type Streamed = typeof STREAMED;
export const isStreamed = (result: Reply<unknown> | Streamed): result is Streamed => result === STREAMED;
/** What a streaming route's handler returns once it has taken over the response. */
export const streamed = (): Streamed => STREAMED;

export type HandlerResult<N extends RouteName> = [RouteAnswer<N>] extends [never] ? Streamed : Reply<RouteAnswer<N>>;
export type RouteHandler<N extends RouteName> = (ctx: RouteContext<N>) => HandlerResult<N> | Promise<HandlerResult<N>>;
/** One handler per route, each typed by its declaration (shared/routes.ts). */
export type RouteHandlers<K extends RouteName> = { [N in K]: RouteHandler<N> };

export const ok = <A>(body: A): Reply<A> => ({ body });
export const created = <A>(body: A): Reply<A> => ({ status: 201, body });
export const noContent: Reply<void> = { body: undefined };

/** Sends what a JSON route's handler returned, with the request's own headers (CORS). */
export function sendReply(res: ServerResponse, reply: Reply<unknown>, headers: Record<string, string>): void {
  const all = { ...headers, ...reply.headers };
  if (reply.body === undefined) sendEmpty(res, reply.status ?? 204, all);
  else sendJson(res, reply.status ?? 200, reply.body, all);
}

/** Reads route `name`'s JSON body and parses it by the route's declaration: its typed value, or a 400 naming the field. */
export async function parsedBody<N extends BodyParsedRoute>(req: IncomingMessage, name: N): Promise<RouteValue<N>> {
  return parseBody(name, await readJsonBody(req));
}

/** Parses a body already read by route `name`'s declaration. */
export function parseBody<N extends BodyParsedRoute>(name: N, raw: unknown): RouteValue<N> {
  const parse: BodyParser<RouteValue<N>> = ROUTES[name].parse;
  return mustParse(parse(raw));
}
