import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../../shared/api.ts';
import type { HaulError } from '../engine/errors.ts';

/** Headers every response carries. */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** Responses that wait before they go out: with a shared store, a change is acknowledged once the store has it. */
const gates = new WeakMap<ServerResponse, () => Promise<void>>();

/** Makes `res`'s answer (sendJson, sendEmpty) wait for `settled`; if that fails, the answer is that error instead. */
export function gateResponse(res: ServerResponse, settled: () => Promise<void>, onFailure: (error: unknown) => HaulError): void {
  gates.set(res, async () => {
    try {
      await settled();
    } catch (error) {
      gates.delete(res);
      sendError(res, onFailure(error));
      throw error;
    }
  });
}

function afterGate(res: ServerResponse, send: () => void): void {
  const gate = gates.get(res);
  if (gate === undefined) {
    send();
    return;
  }
  gates.delete(res);
  gate().then(send, () => undefined);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  afterGate(res, () => writeJson(res, status, body, extra));
}

function writeJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string>): void {
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
  afterGate(res, () => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', ...extra });
    res.end();
  });
}
