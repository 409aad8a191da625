import { ROUTES, type RouteName } from '../../shared/api.ts';
import type { ErrorBody } from '../../shared/api.ts';
import type { HandoffRequest, HandoffResponse, HelloResponse, PairCompleteResponse, PairStartResponse } from '../../shared/extension-api.ts';
import { loadPairing, loadSettings, savePairing, type Pairing } from './settings.ts';

/** Haul's default port and the ones after it that it moves to when that one is taken (see DEFAULT_PORT, PORT_TRIES). */
const PORTS = Array.from({ length: 20 }, (_, i) => 7411 + i);
/** A Haul that does not answer this fast is treated as not running: the browser must not wait on it. */
const PROBE_MS = 800;

export class HaulError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

async function call<T>(base: string, name: RouteName, opts: { token?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const route = ROUTES[name];
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(new URL(route.path, base), {
      method: route.method,
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
  } catch (error) {
    throw new HaulError('OFF', `Haul is not running (${(error as Error).message}).`);
  }
  if (res.status === 204) return undefined as T;
  const json = (await res.json()) as T | ErrorBody;
  if (!res.ok) throw new HaulError((json as ErrorBody).error.code, (json as ErrorBody).error.message);
  return json as T;
}

/** Where Haul listens: the address set in the options, or the first of its ports that answers as Haul. */
export async function findHaul(): Promise<string | undefined> {
  const settings = await loadSettings();
  const candidates = settings.base !== undefined && settings.base !== '' ? [settings.base] : PORTS.map((p) => `http://127.0.0.1:${p}/`);
  for (const base of candidates) {
    try {
      const hello = await call<HelloResponse>(base, 'extHello', { signal: AbortSignal.timeout(PROBE_MS) });
      if (hello.app === 'haul') return base;
    } catch {
      // Not Haul, or nothing there: the next port.
    }
  }
  return undefined;
}

/** Asks Haul to pair; Haul shows the code in its own window. */
export async function startPairing(browser: string): Promise<{ base: string; pairingId: string }> {
  const base = await findHaul();
  if (base === undefined) throw new HaulError('OFF', 'Haul is not running. Start Haul, then pair again.');
  const started = await call<PairStartResponse>(base, 'extPairStart', { body: { browser } });
  return { base, pairingId: started.pairingId };
}

export async function completePairing(base: string, pairingId: string, code: string): Promise<Pairing> {
  const done = await call<PairCompleteResponse>(base, 'extPairComplete', { body: { pairingId, code } });
  const pairing = { base, token: done.token, browserId: done.browserId };
  await savePairing(pairing);
  return pairing;
}

/** Calls a paired route; a revoked pairing is forgotten, so the popup asks to pair again. */
export async function paired<T>(name: RouteName, body?: unknown, signal?: AbortSignal): Promise<T> {
  const pairing = await loadPairing();
  if (pairing === undefined) throw new HaulError('NOT_PAIRED', 'This browser is not paired with Haul yet.');
  try {
    return await call<T>(pairing.base, name, { token: pairing.token, ...(body === undefined ? {} : { body }), ...(signal === undefined ? {} : { signal }) });
  } catch (error) {
    if (error instanceof HaulError && error.code === 'NOT_PAIRED') await savePairing(undefined);
    throw error;
  }
}

export const handOver = (request: HandoffRequest, signal?: AbortSignal): Promise<HandoffResponse> => paired<HandoffResponse>('extHandoff', request, signal);

/**
 * Follows Haul's event stream with the extension's token in a header (EventSource cannot send
 * one); calls `onEvent` per event until `signal` aborts. Resolves when the stream ends.
 */
export async function followEvents(onEvent: (name: string, data: unknown, id: number) => void, signal: AbortSignal): Promise<void> {
  const pairing = await loadPairing();
  if (pairing === undefined) throw new HaulError('NOT_PAIRED', 'This browser is not paired with Haul yet.');
  const res = await fetch(new URL(ROUTES.extEvents.path, pairing.base), { method: ROUTES.extEvents.method, headers: { authorization: `Bearer ${pairing.token}` }, signal }).catch((error: unknown) => {
    throw new HaulError('OFF', `Haul is not running (${(error as Error).message}).`);
  });
  if (!res.ok || res.body === null) {
    const body = (await res.json().catch(() => undefined)) as ErrorBody | undefined;
    if (body?.error.code === 'NOT_PAIRED') await savePairing(undefined);
    throw new HaulError(body?.error.code ?? 'OFF', body?.error.message ?? `Haul answered HTTP ${res.status}.`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/mu.exec(block)?.[1];
      const data = /^data: (.*)$/mu.exec(block)?.[1];
      const id = Number(/^id: (\d+)$/mu.exec(block)?.[1] ?? 0);
      if (name !== undefined && data !== undefined) onEvent(name, JSON.parse(data), id);
    }
  }
}
