import type { RouteName } from '../../../shared/api.ts';

/**
 * What each route needs: `open` (no sign-in), `read` (any signed-in user, viewers included),
 * `write` (users and admins: their own downloads), `admin` (the first four apply when accounts
 * are on). The extension's routes answer only an extension's origin (checkExtensionOrigin):
 * `extension-open` with no token (finding Haul, pairing), `extension-paired` with a paired
 * browser's token or, with accounts on, a user's API token (see extensionPrincipal).
 */
export type Access = 'open' | 'read' | 'write' | 'admin' | 'extension-open' | 'extension-paired';

export const ROUTE_ACCESS: Record<RouteName, Access> = {
  listDownloads: 'read',
  addDownloads: 'write',
  getDownload: 'read',
  pauseDownload: 'write',
  resumeDownload: 'write',
  removeDownload: 'write',
  patchDownload: 'write',
  getSettings: 'read',
  patchSettings: 'admin',
  events: 'read',
  pauseAll: 'write',
  resumeAll: 'write',
  clearCompleted: 'write',
  retryFailed: 'write',
  removeFailed: 'write',
  checkLinks: 'write',
  // Opening runs a program on the machine Haul runs on: the machine's owner's or an admin's call, never a user's.
  openDownload: 'admin',
  revealDownload: 'admin',
  // Viewers watch the list; file contents are for whoever owns the download (and admins).
  downloadFile: 'write',
  getDetails: 'read',
  moveDownload: 'write',
  extHello: 'extension-open',
  extPairStart: 'extension-open',
  extPairComplete: 'extension-open',
  extHandoff: 'extension-paired',
  extEvents: 'extension-paired',
  extPauseAll: 'extension-paired',
  extShowHaul: 'extension-paired',
  getSession: 'open',
  login: 'open',
  logout: 'open',
  listUsers: 'admin',
  addUser: 'admin',
  removeUser: 'admin',
  createToken: 'write',
  listTokens: 'write',
  revokeToken: 'write',
  listPaired: 'admin',
  revokePaired: 'admin',
  refusePairing: 'admin',
  listHosts: 'read',
  resetHost: 'admin',
  listNodes: 'read',
  drainNode: 'admin',
};
