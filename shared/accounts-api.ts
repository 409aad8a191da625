/** Accounts in server mode (see docs/api.md, "Accounts"), declared once for server, CLI and interface. */

export type Role = 'admin' | 'user' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'user', 'viewer'];

export interface UserView {
  name: string;
  role: Role;
  createdAt: string;
}

/** `GET /api/session`: whether accounts are on, and who this request is (when signed in). */
export interface SessionInfo {
  accounts: boolean;
  user?: { name: string; role: Role };
}

/** Body of `POST /api/login`. */
export interface LoginRequest {
  name: string;
  password: string;
}

/** Body of `POST /api/users` (admin). */
export interface NewUserRequest {
  name: string;
  password: string;
  role?: Role;
}

/** Answer of `POST /api/tokens`: a token for scripts, `haul add` and the extension, shown once. */
export interface NewTokenResponse {
  token: string;
  id: string;
}

/** One of a user's API tokens as listed (`GET /api/tokens`, `haul user tokens`): never the token itself. */
export interface TokenView {
  /** Names the token for revoking it (`DELETE /api/tokens/:id`); not a secret. */
  id: string;
  label: string;
  createdAt: string;
  /** When it last signed a request in (to the minute), or null if never. */
  lastUsed: string | null;
}

/** User names: what a folder name and a log line can hold safely. */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/u;
