import { ApiError, createHaulClient, errorFromAnswer, fetchTransport, routePath, type HaulClient } from '../../shared/api-client.ts';
import type { HandoffRequest, HandoffResponse } from '../../shared/extension-api.ts';
import { DEFAULT_PORT, PORT_TRIES } from '../../shared/ports.ts';
import { ROUTES } from '../../shared/routes.ts';
import { loadPairing, loadSettings, savePairing, type Pairing } from './settings.ts';

export { ApiError };

/** Haul's default port and the ones after it that it moves to when that one is taken. */
const PORTS = Array.from({ length: PORT_TRIES }, (_, i) => DEFAULT_PORT + i);
/** A Haul that does not answer this fast is treated as not running: the browser must not wait on it. */
const PROBE_MS = 800;

/** The one client (shared/api-client.ts) to Haul at `base`, with the extension's token when paired. */
function clientAt(base: string, token?: string): HaulClient {
  return createHaulClient(fetchTransport(base, token));
}

/** Runs a call; "could not reach Haul" is said as Haul being off, as the popup says it. */
async function called<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'NETWORK') throw new ApiError('NETWORK', `Haul is not running (${error.message}).`);
    throw error;
  }
}

/** Where Haul listens: the address set in the options, or the first of its ports that answers as Haul. */
export async function findHaul(): Promise<string | undefined> {
  const settings = await loadSettings();
  const candidates = settings.base !== undefined && settings.base !== '' ? [settings.base] : PORTS.map((p) => `http://127.0.0.1:${p}/`);
  for (const base of candidates) {
    try {
      const hello = await called(() => clientAt(base).call('extHello', { signal: AbortSignal.timeout(PROBE_MS) }));
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
  if (base === undefined) throw new ApiError('NETWORK', 'Haul is not running. Start Haul, then pair again.');
  const started = await called(() => clientAt(base).call('extPairStart', { body: { browser } }));
  return { base, pairingId: started.pairingId };
}

export async function completePairing(base: string, pairingId: string, code: string): Promise<Pairing> {
  const done = await called(() => clientAt(base).call('extPairComplete', { body: { pairingId, code } }));
  const pairing = { base, token: done.token, browserId: done.browserId };
  await savePairing(pairing);
  return pairing;
}

/** This browser's pairing, or NOT_PAIRED. */
async function requirePairing(): Promise<Pairing> {
  const pairing = await loadPairing();
  if (pairing === undefined) throw new ApiError('NOT_PAIRED', 'This browser is not paired with Haul yet.');
  return pairing;
}

/** Calls a paired route; a revoked pairing is forgotten, so the popup asks to pair again. */
async function paired<T>(request: (client: HaulClient) => Promise<T>): Promise<T> {
  const pairing = await requirePairing();
  try {
    return await called(() => request(clientAt(pairing.base, pairing.token)));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_PAIRED') await savePairing(undefined);
    throw error;
  }
}

export const handOver = (request: HandoffRequest, signal?: AbortSignal): Promise<HandoffResponse> => paired((client) => client.call('extHandoff', { body: request, signal }));

/** The popup's "Pause all" and "Open Haul". */
export const pauseAll = (): Promise<unknown> => paired((client) => client.call('extPauseAll'));
export const showHaul = (): Promise<void> => paired((client) => client.call('extShowHaul'));

/**
 * Follows Haul's event stream with the extension's token in a header (EventSource cannot send
 * one); calls `onEvent` per event until `signal` aborts. Resolves when the stream ends.
 */
export async function followEvents(onEvent: (name: string, data: unknown, id: number) => void, signal: AbortSignal): Promise<void> {
  const pairing = await requirePairing();
  const res = await fetch(new URL(routePath('extEvents'), pairing.base), { method: ROUTES.extEvents.method, headers: { authorization: `Bearer ${pairing.token}` }, signal }).catch((error: unknown) => {
    throw new ApiError('NETWORK', `Haul is not running (${(error as Error).message}).`);
  });
  if (!res.ok || res.body === null) {
    const error = errorFromAnswer(await res.json().catch(() => undefined), () => new ApiError('NETWORK', `Haul answered HTTP ${res.status}.`));
    if (error.code === 'NOT_PAIRED') await savePairing(undefined);
    throw error;
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
