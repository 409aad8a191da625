/**
 * The contract between Haul and its browser extension (see docs/api.md, "The browser
 * extension"), declared once for the server, the renderer and the extension.
 */
import type { Download } from './api.ts';

/** An extension's own origin: the only origins the extension routes answer. */
export const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{8,64}$/u;

/** Body of `POST /api/ext/pair`: a browser asks to pair; Haul shows a code in its own window. */
export interface PairStartRequest {
  /** Shown to the user beside the code, such as "Chromium 156 on Linux". */
  browser: string;
}
export interface PairStartResponse {
  pairingId: string;
  expiresAt: string;
}

/** Body of `POST /api/ext/pair/complete`: the code the user read in Haul's window. */
export interface PairCompleteRequest {
  pairingId: string;
  code: string;
}
export interface PairCompleteResponse {
  /** The extension's own token: sent as `Authorization: Bearer` with its origin on the extension routes. */
  token: string;
  browserId: string;
}

/** A pairing waiting for its code, as Haul's window shows it (the `pairing` event). */
export interface PairingRequest {
  pairingId: string;
  browser: string;
  origin: string;
  /** Six digits, shown only in Haul's own window. */
  code: string;
  expiresAt: string;
}

/** A paired browser, as Settings lists it (`GET /api/extensions`). */
export interface PairedBrowser {
  id: string;
  browser: string;
  origin: string;
  pairedAt: string;
  lastUsedAt?: string | undefined;
}

/** A paired browser as the server keeps it: its token only as a SHA-256 hash. */
export interface PairedRecord extends PairedBrowser {
  tokenHash: string;
}

/** Body of `POST /api/ext/downloads`: a download the browser hands over. */
export interface HandoffRequest {
  /** Unique per browser download: a retry with the same key never adds it twice. */
  key: string;
  url: string;
  /** The URL after the browser's redirects. Haul requests this one when given. */
  finalUrl?: string;
  referrer?: string;
  pageUrl?: string;
  /** The name the browser would save it under. */
  filename?: string;
  mime?: string;
  /** Bytes, when the browser knows. */
  size?: number;
  userAgent?: string;
  /** The `Cookie` header the browser would send to the requested URL's host, from the tab's own cookie store. */
  cookie?: string;
}
export interface HandoffResponse {
  download: Download;
  /** True when this key was handed over before (the same download is returned). */
  repeated: boolean;
}

/** `GET /api/ext/hello`: how the extension recognises Haul on a port (no secret in it). */
export interface HelloResponse {
  app: 'haul';
  version: string;
}
