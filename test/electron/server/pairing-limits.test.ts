import { describe, expect, it } from 'vitest';
import type { PairingRequest, PairStartResponse } from '../../../shared/extension-api.ts';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { SseReader } from '../../helpers/sse-reader.ts';

const TOKEN = 'test-token-0123456789';
const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

function ext(base: string, route: string, body: unknown) {
  return request(base, route, { method: 'POST', headers: { origin: EXT, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const waiting = async (base: string): Promise<PairingRequest[]> => (await request(base, '/api/extensions', { token: TOKEN })).json().pending;

describe('pairing against a process that floods it', () => {
  it('never pushes out the pairing the user is reading, starts few a minute, and sends the window few notices', async () => {
    const haul = await startTestHaul();
    const ui = new SseReader(`${haul.url}api/events?token=${TOKEN}`);
    const real = (await ext(haul.url, '/api/ext/pair', { browser: 'the real browser' })).json() as PairStartResponse;
    const flood = await Promise.all(Array.from({ length: 100 }, (_, i) => ext(haul.url, '/api/ext/pair', { browser: `flood ${i}` })));
    expect(flood.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = flood.find((r) => r.status === 429)!.json().error;
    expect(refused.code).toBe('TOO_MANY_ATTEMPTS');
    expect(refused.message).toMatch(/already waiting for 3 pairings/u);
    const pending = await waiting(haul.url);
    expect(pending.map((p) => p.pairingId)).toContain(real.pairingId);
    // Refusing the flood's makes room, but only so many may start in a minute.
    for (const p of pending.filter((x) => x.pairingId !== real.pairingId)) expect((await request(haul.url, `/api/pairings/${p.pairingId}`, { method: 'DELETE', token: TOKEN })).status).toBe(204);
    expect((await ext(haul.url, '/api/ext/pair', { browser: 'again 1' })).status).toBe(201);
    expect((await ext(haul.url, '/api/ext/pair', { browser: 'again 2' })).status).toBe(201);
    const sixth = await ext(haul.url, '/api/ext/pair', { browser: 'again 3' });
    expect(sixth.status).toBe(429);
    expect(sixth.json().error.message).toMatch(/^Too many pairings were asked for in the last minute\. Wait \d+ s/u);
    // Five pairings started in all: the window was told of five, not of a hundred.
    await ui.until((r) => r.named('pairing').length >= 5);
    expect(ui.named('pairing')).toHaveLength(5);
    ui.close();
  });

  it('counts wrong codes over every pairing: asking again buys no more guesses', async () => {
    const haul = await startTestHaul();
    let wrong = 0;
    let last: PairStartResponse | undefined;
    for (let p = 0; p < 4; p++) {
      last = (await ext(haul.url, '/api/ext/pair', { browser: `try ${p}` })).json() as PairStartResponse;
      for (let i = 0; i < 3 && wrong < 10; i++, wrong++) {
        const res = await ext(haul.url, '/api/ext/pair/complete', { pairingId: last.pairingId, code: '000000x' });
        expect(res.json().error.code).toBe('NOT_PAIRED');
      }
    }
    // The fourth pairing is still waiting, but even its right code is not taken now.
    const code = (await waiting(haul.url)).find((p) => p.pairingId === last!.pairingId)?.code;
    expect(code).toMatch(/^\d{6}$/u);
    const right = await ext(haul.url, '/api/ext/pair/complete', { pairingId: last!.pairingId, code });
    expect(right.status).toBe(429);
    expect(right.json().error.message).toMatch(/^Too many wrong pairing codes lately\. Wait \d+ min/u);
  });
});
