/**
 * Every route of Haul's HTTP API, declared once (see docs/api.md): method, path, who may call
 * it, whether its token may come in the query, and the types of its body and answer. The
 * server's router and access rules, and the one client (renderer, CLI, extension), derive
 * from it.
 */
import type { NewTokenResponse, Role, SessionInfo, TokenView, UserView } from './accounts-api.ts';
import type {
  AddDownloadsRequest,
  BulkResult,
  CheckLinksRequest,
  Download,
  DownloadDetails,
  HostLimit,
  LinkCheck,
  NodesAnswer,
  NodeView,
  OpenRequest,
  PatchDownloadRequest,
  Settings,
  StreamProbe,
} from './api.ts';
import type { ListFormat } from './download-lists.ts';
import type { HandoffResponse, HelloResponse, PairCompleteResponse, PairedBrowser, PairingRequest, PairStartResponse } from './extension-api.ts';
import { parseAddBody, parseDownloadPatchBody } from './download-bodies.ts';
import { parseSettingsBody } from './settings-body.ts';
import type { PeerView, TorrentProbe } from './torrent.ts';
import {
  parseCheckLinksBody,
  parseDrain,
  parseHandoff,
  parseLogin,
  parseMove,
  parseNewUser,
  parseOpenBody,
  parsePairComplete,
  parsePairStart,
  parseProbeBody,
  parseProbeTorrentBody,
  parseTokenBody,
  parseImportBody,
  type BodyParser,
} from './route-bodies.ts';

/**
 * Who may call a route: `open` (no sign-in), `read` (any signed-in user, viewers included),
 * `write` (users and admins: their own downloads), `admin` (the first four apply when accounts
 * are on). The extension's routes answer only an extension's origin: `extension-open` with no
 * token (finding Haul, pairing), `extension-paired` with a paired browser's token or, with
 * accounts on, a user's API token.
 */
/** What an import did: the downloads added, how many were left out as finished, and what could not be added (with its line). */
export interface ImportAnswer {
  added: Download[];
  skipped: number;
  problems: Array<{ url: string; line?: number | undefined; message: string }>;
}

export type Access = 'open' | 'read' | 'write' | 'admin' | 'extension-open' | 'extension-paired';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** How a route answers: JSON of its answer type (or 204 for `void`), an event stream, or a file's bytes. */
export type AnswerKind = 'json' | 'events' | 'file';

/** Marks the types a route carries; never present at run time. */
declare const carries: unique symbol;

/** What a route answers with. */
export interface Answers<A> {
  readonly kind: AnswerKind;
  readonly [carries]?: A;
}
/** What a route takes as its JSON body. */
export interface Takes<B> {
  readonly [carries]?: B;
}
const json = <A>(): Answers<A> => ({ kind: 'json' });
/** 204, no body. */
const nothing: Answers<void> = { kind: 'json' };
const stream: Answers<never> = { kind: 'events' };
const file: Answers<never> = { kind: 'file' };
const takes = <B>(): Takes<B> => ({});

/** A route: `B` is the body as sent (what the client types), `V` what its declaration's parser makes of it (the handler's value). */
export interface Route<P extends string, A, B, V = B> {
  readonly method: Method;
  readonly path: P;
  readonly access: Access;
  readonly answers: AnswerKind;
  /**
   * The token may come as `?token=` (a GET whose client cannot send headers: EventSource, a
   * link that saves a file). Everything else takes it only in the Authorization header.
   */
  readonly tokenInQuery: boolean;
  readonly [carries]?: { answer: A; body: B; value: V };
}

/** A route whose body is parsed by its declaration (see route-bodies.ts, download-bodies.ts). */
export type ParsedRoute<P extends string, A, B, V> = Route<P, A, B, V> & { readonly parse: BodyParser<V> };

function route<P extends string, A, V, B = V>(
  method: Method,
  path: P,
  access: Access,
  answers: Answers<A>,
  opts: { parse: BodyParser<V>; body?: Takes<B>; tokenInQuery?: boolean },
): ParsedRoute<P, A, B, V>;
function route<P extends string, A>(method: Method, path: P, access: Access, answers: Answers<A>, opts?: { tokenInQuery?: boolean }): Route<P, A, undefined>;
function route<P extends string, A, V, B>(
  method: Method,
  path: P,
  access: Access,
  answers: Answers<A>,
  opts: { parse?: BodyParser<V>; body?: Takes<B>; tokenInQuery?: boolean } = {},
): Route<P, A, B, V> | ParsedRoute<P, A, B, V> {
  const base: Route<P, A, B, V> = { method, path, access, answers: answers.kind, tokenInQuery: opts.tokenInQuery ?? false };
  return opts.parse === undefined ? base : { ...base, parse: opts.parse };
}

type Downloads = { downloads: Download[] };

export const ROUTES = {
  listDownloads: route('GET', '/api/downloads', 'read', json<Downloads>()),
  addDownloads: route('POST', '/api/downloads', 'write', json<Downloads>(), { body: takes<AddDownloadsRequest>(), parse: parseAddBody }),
  getDownload: route('GET', '/api/downloads/:id', 'read', json<Download>()),
  pauseDownload: route('POST', '/api/downloads/:id/pause', 'write', json<Download>()),
  resumeDownload: route('POST', '/api/downloads/:id/resume', 'write', json<Download>()),
  startNow: route('POST', '/api/downloads/:id/start-now', 'write', json<Download>()),
  cancelWhenDone: route('POST', '/api/actions/cancel-when-done', 'write', json<{ cancelled: boolean }>()),
  importList: route('POST', '/api/import', 'write', json<ImportAnswer>(), { body: takes<{ text: string }>(), parse: parseImportBody }),
  exportList: route('GET', '/api/export', 'read', json<{ format: ListFormat; text: string }>()),
  // Query `deleteFile=true` also deletes the file.
  removeDownload: route('DELETE', '/api/downloads/:id', 'write', nothing),
  // v2: a refreshed link for the same file, its connections, its speed limit.
  patchDownload: route('PATCH', '/api/downloads/:id', 'write', json<Download>(), { body: takes<PatchDownloadRequest>(), parse: parseDownloadPatchBody }),
  getSettings: route('GET', '/api/settings', 'read', json<Settings>()),
  patchSettings: route('PATCH', '/api/settings', 'admin', json<Settings>(), { body: takes<Partial<Settings>>(), parse: parseSettingsBody }),
  events: route('GET', '/api/events', 'read', stream, { tokenInQuery: true }),
  // Extensions beyond the v1 spec: bulk actions, one request however many downloads.
  pauseAll: route('POST', '/api/actions/pause-all', 'write', json<BulkResult>()),
  resumeAll: route('POST', '/api/actions/resume-all', 'write', json<BulkResult>()),
  clearCompleted: route('POST', '/api/actions/clear-completed', 'write', json<BulkResult>()),
  retryFailed: route('POST', '/api/actions/retry-failed', 'write', json<BulkResult>()),
  removeFailed: route('POST', '/api/actions/remove-failed', 'write', json<BulkResult>()),
  // Which of these links are already in the list, or already saved in the folder.
  checkLinks: route('POST', '/api/actions/check-links', 'write', json<{ items: LinkCheck[] }>(), { body: takes<CheckLinksRequest>(), parse: parseCheckLinksBody }),
  probeStream: route('POST', '/api/actions/probe-stream', 'write', json<StreamProbe>(), { body: takes<{ url: string }>(), parse: parseProbeBody }),
  // v2: what a .torrent holds (its files, to choose from), and a running torrent's peers.
  probeTorrent: route('POST', '/api/actions/probe-torrent', 'write', json<TorrentProbe>(), { body: takes<{ torrent: string }>(), parse: parseProbeTorrentBody }),
  getPeers: route('GET', '/api/downloads/:id/peers', 'read', json<{ peers: PeerView[] }>()),
  // v2: open or reveal a completed file on the machine Haul runs on (that runs a program there:
  // the owner's or an admin's call, never a user's); fetch it from elsewhere.
  openDownload: route('POST', '/api/downloads/:id/open', 'admin', json<Download>(), { body: takes<OpenRequest | undefined>(), parse: parseOpenBody }),
  revealDownload: route('POST', '/api/downloads/:id/reveal', 'admin', json<Download>()),
  // Viewers watch the list; file contents are for whoever owns the download (and admins).
  downloadFile: route('GET', '/api/downloads/:id/file', 'write', file, { tokenInQuery: true }),
  // Extensions: what the detail panel shows, and moving a download in the queue.
  getDetails: route('GET', '/api/downloads/:id/details', 'read', json<DownloadDetails>()),
  moveDownload: route('POST', '/api/downloads/:id/move', 'write', json<Download>(), { parse: parseMove }),
  // The browser extension (see shared/extension-api.ts): all POST, as browsers send an
  // extension's Origin with a POST, not with a plain GET.
  extHello: route('POST', '/api/ext/hello', 'extension-open', json<HelloResponse>()),
  extPairStart: route('POST', '/api/ext/pair', 'extension-open', json<PairStartResponse>(), { parse: parsePairStart }),
  extPairComplete: route('POST', '/api/ext/pair/complete', 'extension-open', json<PairCompleteResponse>(), { parse: parsePairComplete }),
  extHandoff: route('POST', '/api/ext/downloads', 'extension-paired', json<HandoffResponse>(), { parse: parseHandoff }),
  extEvents: route('POST', '/api/ext/events', 'extension-paired', stream),
  extPauseAll: route('POST', '/api/ext/pause-all', 'extension-paired', json<BulkResult>()),
  extShowHaul: route('POST', '/api/ext/show', 'extension-paired', nothing),
  // v2 accounts (see shared/accounts-api.ts): on with the first user.
  getSession: route('GET', '/api/session', 'open', json<SessionInfo>()),
  login: route('POST', '/api/login', 'open', json<{ user: { name: string; role: Role } }>(), { parse: parseLogin }),
  logout: route('POST', '/api/logout', 'open', nothing),
  listUsers: route('GET', '/api/users', 'admin', json<{ users: UserView[] }>()),
  addUser: route('POST', '/api/users', 'admin', json<{ user: UserView }>(), { parse: parseNewUser }),
  removeUser: route('DELETE', '/api/users/:name', 'admin', nothing),
  createToken: route('POST', '/api/tokens', 'write', json<NewTokenResponse>(), { body: takes<{ label?: string }>(), parse: parseTokenBody }),
  listTokens: route('GET', '/api/tokens', 'write', json<{ tokens: TokenView[] }>()),
  revokeToken: route('DELETE', '/api/tokens/:id', 'write', nothing),
  // Paired browsers and waiting pairings, for Haul's own window.
  listPaired: route('GET', '/api/extensions', 'admin', json<{ browsers: PairedBrowser[]; pending: PairingRequest[] }>()),
  revokePaired: route('DELETE', '/api/extensions/:id', 'admin', nothing),
  refusePairing: route('DELETE', '/api/pairings/:id', 'admin', nothing),
  // Learnt per-host connection ceilings: listed, and forgotten on request.
  listHosts: route('GET', '/api/hosts', 'read', json<{ hosts: HostLimit[] }>()),
  resetHost: route('DELETE', '/api/hosts/:host', 'admin', nothing),
  // Several nodes sharing Redis: who is there, and draining one for maintenance.
  listNodes: route('GET', '/api/nodes', 'read', json<NodesAnswer>()),
  drainNode: route('POST', '/api/nodes/:name/drain', 'admin', json<NodeView>(), { parse: parseDrain }),
};

export type RouteName = keyof typeof ROUTES;
/** The routes whose body their declaration parses. */
export type BodyParsedRoute = { [N in RouteName]: (typeof ROUTES)[N] extends { parse: BodyParser<unknown> } ? N : never }[RouteName];

type Carried<N extends RouteName> = NonNullable<(typeof ROUTES)[N][typeof carries]>;
/** What a route answers with (JSON routes). */
export type RouteAnswer<N extends RouteName> = Carried<N>['answer'];
/** What a route takes as its JSON body (`undefined`: none). */
export type RouteBody<N extends RouteName> = Carried<N>['body'];
/** What a route's declaration makes of its body: the value its handler gets. */
export type RouteValue<N extends RouteName> = Carried<N>['value'];
