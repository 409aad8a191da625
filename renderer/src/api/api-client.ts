import {
  ROUTES,
  type AddDownloadsRequest,
  type BulkResult,
  type Download,
  type DownloadDetails,
  type ErrorBody,
  type LinkCheck,
  type MoveTarget,
  type NodesAnswer,
  type NodeView,
  type PatchDownloadRequest,
  type RouteName,
  type Settings,
} from '../../../shared/api.ts';
import type { LoginRequest, NewTokenResponse, NewUserRequest, Role, SessionInfo, TokenView, UserView } from '../../../shared/accounts-api.ts';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import type { PairedBrowser, PairingRequest } from '../../../shared/extension-api.ts';

/** The wire's codes, plus the client's own for a Haul that could not be reached. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

/** An error the API answered with; `message` is the server's human sentence. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Typed calls over the shared route table. */
export function createApiClient(base: string, token: string | undefined) {
  // Relative to `base`, so Haul works under a path (https://nas.example/haul/) behind a proxy.
  const routePath = (name: RouteName, id: string): string => ROUTES[name].path.replace(/:(id|host)/u, encodeURIComponent(id)).slice(1);
  async function call<T>(name: RouteName, opts: { id?: string; body?: unknown; query?: Record<string, string> } = {}): Promise<T> {
    const route = ROUTES[name];
    const url = new URL(routePath(name, opts.id ?? ''), base);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    // Without a token, the session cookie (accounts on) goes with the request by itself.
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method: route.method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
    } catch (error) {
      throw new ApiError('NETWORK', `Haul could not be reached (${(error as Error).message}).`);
    }
    if (response.status === 204) return undefined as T;
    const json = (await response.json()) as T | ErrorBody;
    if (!response.ok) {
      const err = (json as ErrorBody).error;
      throw new ApiError(err.code, err.message);
    }
    return json as T;
  }
  return {
    add: (body: AddDownloadsRequest) => call<{ downloads: Download[] }>('addDownloads', { body }),
    pause: (id: string) => call<Download>('pauseDownload', { id }),
    resume: (id: string) => call<Download>('resumeDownload', { id }),
    remove: (id: string, deleteFile = false) => call<void>('removeDownload', { id, query: deleteFile ? { deleteFile: 'true' } : {} }),
    settings: () => call<Settings>('getSettings'),
    patchSettings: (patch: Partial<Settings>) => call<Settings>('patchSettings', { body: patch }),
    pauseAll: () => call<BulkResult>('pauseAll'),
    resumeAll: () => call<BulkResult>('resumeAll'),
    clearCompleted: () => call<BulkResult>('clearCompleted'),
    retryFailed: () => call<BulkResult>('retryFailed'),
    removeFailed: () => call<BulkResult>('removeFailed'),
    patch: (id: string, body: PatchDownloadRequest) => call<Download>('patchDownload', { id, body }),
    details: (id: string) => call<DownloadDetails>('getDetails', { id }),
    move: (id: string, to: MoveTarget) => call<Download>('moveDownload', { id, body: { to } }),
    open: (id: string, confirmRisky = false) => call<Download>('openDownload', { id, ...(confirmRisky ? { body: { confirmRisky } } : {}) }),
    reveal: (id: string) => call<Download>('revealDownload', { id }),
    checkLinks: (urls: string[], dir?: string) => call<{ items: LinkCheck[] }>('checkLinks', { body: dir === undefined ? { urls } : { urls, dir } }),
    session: () => call<SessionInfo>('getSession'),
    login: (body: LoginRequest) => call<{ user: { name: string; role: Role } }>('login', { body }),
    logout: () => call<void>('logout'),
    users: () => call<{ users: UserView[] }>('listUsers'),
    addUser: (body: NewUserRequest) => call<{ user: UserView }>('addUser', { body }),
    removeUser: (name: string) => call<void>('removeUser', { id: name }),
    createToken: (label: string) => call<NewTokenResponse>('createToken', { body: { label } }),
    tokens: () => call<{ tokens: TokenView[] }>('listTokens'),
    revokeToken: (id: string) => call<void>('revokeToken', { id }),
    nodes: () => call<NodesAnswer>('listNodes'),
    drainNode: (name: string, draining: boolean) => call<NodeView>('drainNode', { id: name, body: { draining } }),
    pairedBrowsers: () => call<{ browsers: PairedBrowser[]; pending: PairingRequest[] }>('listPaired'),
    revokeBrowser: (id: string) => call<void>('revokePaired', { id }),
    refusePairing: (id: string) => call<void>('refusePairing', { id }),
    /** A link that saves the finished file to this device (a plain link cannot send headers, so it carries the token). */
    fileUrl: (id: string) => {
      const url = new URL(routePath('downloadFile', id), base);
      if (token !== undefined) url.searchParams.set('token', token);
      return url.href;
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
