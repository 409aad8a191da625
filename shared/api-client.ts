/**
 * The one client of Haul's HTTP API, built on the route declarations (routes.ts): the
 * renderer, the CLI and the extension each give it only their transport (how a request
 * reaches Haul: fetch with a token, with cookies, or with the extension's token).
 */
import type { ErrorBody } from './api.ts';
import type { ErrorCode } from './error-codes.ts';
import { ROUTES, type RouteAnswer, type RouteBody, type RouteName } from './routes.ts';

/** A request as the transport sends it: the path is relative (no leading slash), so Haul works under a path prefix. */
export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** JSON text, when the route takes a body. */
  body: string | undefined;
  signal: AbortSignal | undefined;
}

/** What the client needs of an answer. */
export interface WireResponse {
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
}

/** Sends a request; rejects only when Haul could not be reached. */
export type Transport = (request: WireRequest) => Promise<WireResponse>;

/** The wire's codes, plus the client's own for a Haul that could not be reached. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

/** An error the API answered with (`message` is the server's sentence), or NETWORK when Haul could not be reached. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

type Params<N extends RouteName> = (typeof ROUTES)[N]['path'] extends `${string}:${string}` ? { param: string } : { param?: undefined };
type WithBody<N extends RouteName> = undefined extends RouteBody<N> ? { body?: RouteBody<N> } : { body: RouteBody<N> };
export type CallOptions<N extends RouteName> = Params<N> & WithBody<N> & { query?: Record<string, string>; signal?: AbortSignal | undefined };

/** The route's path with its parameter (`:id`, `:host`) filled in, without the leading slash. */
export function routePath(name: RouteName, param = ''): string {
  return ROUTES[name].path.replace(/:[a-z]+/u, encodeURIComponent(param)).slice(1);
}

export interface HaulClient {
  call<N extends RouteName>(name: N, ...args: Partial<CallOptions<N>> extends CallOptions<N> ? [CallOptions<N>?] : [CallOptions<N>]): Promise<RouteAnswer<N>>;
}

export function createHaulClient(transport: Transport): HaulClient {
  return {
    async call<N extends RouteName>(name: N, opts?: CallOptions<N>): Promise<RouteAnswer<N>> {
      const route = ROUTES[name];
      let response: WireResponse;
      try {
        response = await transport({
          method: route.method,
          path: routePath(name, opts?.param ?? ''),
          query: opts?.query ?? {},
          body: opts?.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: opts?.signal,
        });
      } catch (error) {
        throw new ApiError('NETWORK', `Haul could not be reached (${(error as Error).message}).`);
      }
      if (response.status === 204) return undefined as RouteAnswer<N>;
      const json = await response.json().catch(() => undefined);
      if (!response.ok) throw errorFromAnswer(json, () => new ApiError('INTERNAL', `Haul answered ${response.status} without an error body.`));
      // The server answers with the route's declared type (its handlers are typed by it).
      return json as RouteAnswer<N>;
    },
  };
}

/** The error a failed answer carries in its JSON body; `otherwise` when it carries none. */
export function errorFromAnswer(json: unknown, otherwise: () => ApiError): ApiError {
  return isErrorBody(json) ? new ApiError(json.error.code, json.error.message) : otherwise();
}

/** The address of a route whose token travels in the query (an EventSource, a link that saves a file), with `token` in it when given. */
export function urlWithToken(base: string, name: RouteName, token: string | undefined, param = ''): string {
  if (!ROUTES[name].tokenInQuery) throw new Error(`${name} takes its token only in the Authorization header`);
  const url = new URL(routePath(name, param), base);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.href;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

/** A transport over fetch to Haul at `base`, with its token in the Authorization header (or cookies, without one). */
export function fetchTransport(base: string, token: string | undefined): Transport {
  return async (request) => {
    const url = new URL(request.path, base);
    for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(url, {
      method: request.method,
      headers,
      body: request.body ?? null,
      signal: request.signal ?? null,
    });
  };
}
