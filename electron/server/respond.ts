import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../../shared/api.ts';
import type { HaulError } from '../engine/errors.ts';

/** Headers every response carries. */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HaulError, extra: Record<string, string> = {}): void {
  const body: ErrorBody = { error: error.toWire() };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.httpStatus, body, extra);
}

export function sendEmpty(res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...extra });
  res.end();
}
