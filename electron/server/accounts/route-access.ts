import type { RouteName } from '../../../shared/api.ts';

/**
 * What each route needs when accounts are on: `open` (no sign-in), `read` (any signed-in
 * user, viewers included), `write` (users and admins: their own downloads), `admin`.
 * The extension's routes are guarded by their own origin and token rules instead.
 */
export type Access = 'open' | 'read' | 'write' | 'admin' | 'extension';

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
  openDownload: 'write',
  revealDownload: 'write',
  downloadFile: 'read',
  getDetails: 'read',
  moveDownload: 'write',
  extHello: 'extension',
  extPairStart: 'extension',
  extPairComplete: 'extension',
  extHandoff: 'extension',
  extEvents: 'extension',
  extPauseAll: 'extension',
  extShowHaul: 'extension',
  getSession: 'open',
  login: 'open',
  logout: 'open',
  listUsers: 'admin',
  addUser: 'admin',
  removeUser: 'admin',
  createToken: 'write',
  listPaired: 'admin',
  revokePaired: 'admin',
  refusePairing: 'admin',
  listHosts: 'read',
  resetHost: 'admin',
};
