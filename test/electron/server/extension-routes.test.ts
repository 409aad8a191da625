import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Download } from '../../../shared/api.ts';
import type { PairCompleteResponse, PairingRequest, PairStartResponse } from '../../../shared/extension-api.ts';
import { addTestUsers, request, startTestHaul } from '../../helpers/haul-harness.ts';
import { SseReader } from '../../helpers/sse-reader.ts';
import { serveBytes, startTestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const OTHER = 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba';

function ext(base: string, route: string, opts: { origin?: string | null; token?: string; body?: unknown; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers['origin'] = opts.origin ?? EXT;
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return request(base, route, { method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'), headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
}

/** Pairs the way a person does: the extension asks, Haul's window shows the code, the person types it. */
async function pair(haul: Awaited<ReturnType<typeof startTestHaul>>, origin = EXT): Promise<string> {
  const started = (await ext(haul.url, '/api/ext/pair', { origin, body: { browser: 'Chromium 156 on Linux' } })).json() as PairStartResponse;
  const shown = ((await request(haul.url, '/api/extensions', { token: TOKEN })).json() as { pending: PairingRequest[] }).pending.find((p) => p.pairingId === started.pairingId);
  const done = await ext(haul.url, '/api/ext/pair/complete', { origin, body: { pairingId: started.pairingId, code: shown?.code } });
  expect(done.status, done.body).toBe(200);
  return (done.json() as PairCompleteResponse).token;
}

describe('pairing a browser', () => {
  it('shows the code only in Haul’s own event stream; the right code pairs, wrong ones run out', async () => {
    const haul = await startTestHaul();
    const ui = new SseReader(`${haul.url}api/events?token=${TOKEN}`);
    const next = async (name: string) => {
      await ui.until((r) => r.events.some((e) => e.event === name));
      return ui.events.find((e) => e.event === name)!;
    };
    const started = await ext(haul.url, '/api/ext/pair', { body: { browser: 'Chromium 156 on Linux' } });
    expect(started.status).toBe(201);
    const { pairingId } = started.json() as PairStartResponse;
    expect(started.body).not.toMatch(/code/u);
    const notice = await next('pairing');
    const shown = JSON.parse(notice.data) as PairingRequest;
    expect(shown).toMatchObject({ pairingId, browser: 'Chromium 156 on Linux', origin: EXT, code: expect.stringMatching(/^\d{6}$/u) });
    const wrong = shown.code === '000000' ? '111111' : '000000';
    const first = await ext(haul.url, '/api/ext/pair/complete', { body: { pairingId, code: wrong } });
    expect(first.status).toBe(403);
    expect(first.json().error).toEqual({ code: 'NOT_PAIRED', message: "That is not the code Haul shows. Type the six digits shown in Haul's own window (2 tries left)." });
    // Another extension cannot finish a pairing it did not start, even with the code.
    expect((await ext(haul.url, '/api/ext/pair/complete', { origin: OTHER, body: { pairingId, code: shown.code } })).status).toBe(403);
    const done = await ext(haul.url, '/api/ext/pair/complete', { body: { pairingId, code: shown.code.replace(/(\d{3})/u, '$1 ') } });
    expect(done.status).toBe(200);
    expect((await next('pairing-ended')).data).toBe(JSON.stringify({ pairingId }));
    const listed = (await request(haul.url, '/api/extensions', { token: TOKEN })).json();
    expect(listed).toEqual({ browsers: [expect.objectContaining({ browser: 'Chromium 156 on Linux', origin: EXT })], pending: [] });
    expect(JSON.stringify(listed)).not.toContain((done.json() as PairCompleteResponse).token);
    ui.close();
    // Three wrong codes end a pairing.
    const again = (await ext(haul.url, '/api/ext/pair', { body: { browser: 'x' } })).json() as PairStartResponse;
    for (let i = 0; i < 3; i++) await ext(haul.url, '/api/ext/pair/complete', { body: { pairingId: again.pairingId, code: 'nope' } });
    const code = ((await request(haul.url, '/api/extensions', { token: TOKEN })).json() as { pending: PairingRequest[] }).pending;
    expect(code).toEqual([]);
  });

  it('answers the extension routes only to an extension origin with its own token; revoking ends it', async () => {
    files = await startTestServer({ '/f.txt': serveBytes(Buffer.from('file')) });
    const haul = await startTestHaul();
    const token = await pair(haul);
    const handoff = { key: 'dl-0001-abcdef', url: files.url('/f.txt') };
    for (const [origin, why] of [
      [null, 'no origin'],
      ['http://127.0.0.1:9999', 'a web page'],
      [`http://127.0.0.1:${haul.port}`, 'Haul’s own page'],
      ['moz-extension://not-valid!', 'a malformed origin'],
    ] as const) {
      const res = await ext(haul.url, '/api/ext/downloads', { origin, token, body: handoff });
      expect(res.status, why).toBe(403);
      expect(res.json().error.code, why).toBe('FORBIDDEN_ORIGIN');
    }
    // Another extension, with this one's token or the interface's: not paired.
    expect((await ext(haul.url, '/api/ext/downloads', { origin: OTHER, token, body: handoff })).json().error.code).toBe('NOT_PAIRED');
    expect((await ext(haul.url, '/api/ext/downloads', { token: TOKEN, body: handoff })).json().error.code).toBe('NOT_PAIRED');
    expect((await ext(haul.url, '/api/ext/downloads', { body: handoff })).status).toBe(403);
    // The extension token opens nothing else: the interface's API still needs the interface token.
    expect((await request(haul.url, '/api/downloads', { token, headers: { origin: EXT } })).status).toBe(403);
    const ok = await ext(haul.url, '/api/ext/downloads', { token, body: handoff });
    expect(ok.status).toBe(201);
    expect(ok.headers['access-control-allow-origin']).toBe(EXT);
    const id = (ok.json().download as Download).id;
    await waitUntil(() => haul.engine.require(id).status === 'completed', 10_000, 'the handed-over download');
    const browserId = ((await request(haul.url, '/api/extensions', { token: TOKEN })).json() as { browsers: Array<{ id: string }> }).browsers[0]?.id;
    expect((await request(haul.url, `/api/extensions/${browserId}`, { method: 'DELETE', token: TOKEN })).status).toBe(204);
    const after = await ext(haul.url, '/api/ext/downloads', { token, body: { ...handoff, key: 'dl-0002-abcdef' } });
    expect(after.json().error).toEqual({ code: 'NOT_PAIRED', message: 'This browser is not paired with Haul (or was unpaired in Settings). Pair it again from the extension.' });
  });

  it('takes a user’s API token in place of a pairing when accounts are on: the hand-over is that user’s', async () => {
    files = await startTestServer({ '/mine.txt': serveBytes(Buffer.from('mine')) });
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [['ann', 'user']]);
    const login = await request(haul.url, '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ann', password: 'ann-password' }) });
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const token = (await request(haul.url, '/api/tokens', { method: 'POST', headers: { cookie } })).json().token as string;
    const res = await ext(haul.url, '/api/ext/downloads', { token, body: { key: 'ann-0001-abcdef', url: files.url('/mine.txt') } });
    expect(res.status).toBe(201);
    expect(res.json().download).toMatchObject({ owner: 'ann', dir: path.join(haul.downloadDir, 'ann') });
    // From a web page, the same token opens nothing there.
    expect((await ext(haul.url, '/api/ext/downloads', { origin: 'http://127.0.0.1:1234', token, body: { key: 'ann-0002-abcdef', url: files.url('/mine.txt') } })).status).toBe(403);
  });

  it('adds a handed-over download once per key, with the browser’s cookie, User-Agent and Referer', async () => {
    files = await startTestServer({ '/private/report.pdf': serveBytes(Buffer.from('%PDF-1.7')) });
    const haul = await startTestHaul();
    const token = await pair(haul);
    const body = {
      key: 'chromium-42-1733000000',
      url: 'http://127.0.0.1:9/login-redirect',
      finalUrl: files.url('/private/report.pdf'),
      referrer: 'https://portal.example/files',
      filename: 'Q4 report.pdf',
      cookie: 'session=abc123',
      userAgent: 'Mozilla/5.0 Test',
    };
    const first = await ext(haul.url, '/api/ext/downloads', { token, body });
    const second = await ext(haul.url, '/api/ext/downloads', { token, body });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.json()).toMatchObject({ repeated: true, download: { id: first.json().download.id } });
    expect(haul.engine.list()).toHaveLength(1);
    await waitUntil(() => haul.engine.list()[0]?.status === 'completed', 10_000, 'completion');
    expect(haul.engine.list()[0]?.filename).toBe('Q4 report.pdf');
    const sent = files.requestsTo('/private/report.pdf')[0]?.headers;
    expect(sent).toMatchObject({ cookie: 'session=abc123', 'user-agent': 'Mozilla/5.0 Test', referer: 'https://portal.example/files' });
  });
});

let files: Awaited<ReturnType<typeof startTestServer>> | undefined;
