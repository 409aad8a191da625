import { ApiError, createHaulClient, fetchTransport, urlWithToken, type ClientErrorCode } from '../../../shared/api-client.ts';
import type { AddDownloadsRequest, MoveTarget, PatchDownloadRequest, Settings } from '../../../shared/api.ts';
import type { LoginRequest, NewUserRequest } from '../../../shared/accounts-api.ts';

export { ApiError, type ClientErrorCode };

/**
 * The window's calls, over the one client (shared/api-client.ts) with fetch as its transport:
 * the token in the Authorization header, or without one, the session cookie (accounts on).
 */
export function createApiClient(base: string, token: string | undefined) {
  const { call } = createHaulClient(fetchTransport(base, token));
  return {
    add: (body: AddDownloadsRequest) => call('addDownloads', { body }),
    pause: (id: string) => call('pauseDownload', { param: id }),
    resume: (id: string) => call('resumeDownload', { param: id }),
    startNow: (id: string) => call('startNow', { param: id }),
    cancelWhenDone: () => call('cancelWhenDone'),
    remove: (id: string, deleteFile = false) => call('removeDownload', { param: id, query: deleteFile ? { deleteFile: 'true' } : {} }),
    settings: () => call('getSettings'),
    patchSettings: (patch: Partial<Settings>) => call('patchSettings', { body: patch }),
    pauseAll: () => call('pauseAll'),
    resumeAll: () => call('resumeAll'),
    clearCompleted: () => call('clearCompleted'),
    retryFailed: () => call('retryFailed'),
    removeFailed: () => call('removeFailed'),
    patch: (id: string, body: PatchDownloadRequest) => call('patchDownload', { param: id, body }),
    details: (id: string) => call('getDetails', { param: id }),
    move: (id: string, to: MoveTarget) => call('moveDownload', { param: id, body: { to } }),
    open: (id: string, confirmRisky = false) => call('openDownload', { param: id, ...(confirmRisky ? { body: { confirmRisky } } : {}) }),
    reveal: (id: string) => call('revealDownload', { param: id }),
    checkLinks: (urls: string[], dir?: string) => call('checkLinks', { body: dir === undefined ? { urls } : { urls, dir } }),
    probeStream: (url: string) => call('probeStream', { body: { url } }),
    probeTorrent: (torrent: string) => call('probeTorrent', { body: { torrent } }),
    peers: (id: string) => call('getPeers', { param: id }),
    session: () => call('getSession'),
    login: (body: LoginRequest) => call('login', { body }),
    logout: () => call('logout'),
    users: () => call('listUsers'),
    addUser: (body: NewUserRequest) => call('addUser', { body }),
    removeUser: (name: string) => call('removeUser', { param: name }),
    createToken: (label: string) => call('createToken', { body: { label } }),
    tokens: () => call('listTokens'),
    revokeToken: (id: string) => call('revokeToken', { param: id }),
    nodes: () => call('listNodes'),
    drainNode: (name: string, draining: boolean) => call('drainNode', { param: name, body: { draining } }),
    pairedBrowsers: () => call('listPaired'),
    revokeBrowser: (id: string) => call('revokePaired', { param: id }),
    refusePairing: (id: string) => call('refusePairing', { param: id }),
    /** A link that saves the finished file to this device (a plain link cannot send headers, so it carries the token). */
    fileUrl: (id: string) => urlWithToken(base, 'downloadFile', token, id),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
