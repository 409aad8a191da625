import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Download } from '../../../shared/api.ts';
import type { Role } from '../../../shared/accounts-api.ts';
import { addTestUsers, request, startTestHaul } from '../../helpers/haul-harness.ts';
import { runHaulWithInput } from '../../helpers/run-cli.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { SseReader } from '../../helpers/sse-reader.ts';
import { serveBytes, startTestServer, testBytes } from '../../helpers/test-server.ts';

const TOKEN = 'test-token-0123456789';
const json = { 'content-type': 'application/json' };

async function withUsers(users: Array<[string, Role]>, opts: Parameters<typeof startTestHaul>[0] = {}) {
  const haul = await startTestHaul(opts);
  await addTestUsers(haul.dataDir, users);
  return haul;
}

async function signIn(base: string, name: string, password = `${name}-password`) {
  return request(base, '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name, password }) });
}

async function cookieOf(base: string, name: string): Promise<string> {
  const res = await signIn(base, name);
  expect(res.status, res.body).toBe(200);
  return String(res.headers['set-cookie']?.[0]).split(';')[0] ?? '';
}

const as = (cookie: string) => ({ cookie });

describe('accounts', () => {
  it('are off until the first user: the token alone works, and the session says so', async () => {
    const haul = await startTestHaul();
    expect((await request(haul.url, '/api/session')).json()).toEqual({ accounts: false });
    expect((await request(haul.url, '/api/downloads', { token: TOKEN })).status).toBe(200);
    expect((await signIn(haul.url, 'ann')).json().error.code).toBe('INVALID_STATE');
  });

  it('need a sign-in once a user exists; the cookie is HttpOnly, SameSite=Strict, and Secure only over https', async () => {
    const haul = await withUsers([['ann', 'user']]);
    const anonymous = await request(haul.url, '/api/downloads');
    expect(anonymous.status).toBe(401);
    expect(anonymous.json().error.message).toMatch(/Sign in first/u);
    expect((await request(haul.url, '/api/session')).json()).toEqual({ accounts: true });
    const res = await signIn(haul.url, 'ann');
    expect(res.json()).toEqual({ user: { name: 'ann', role: 'user' } });
    const cookie = String(res.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(/^haul_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/u);
    const session = cookie.split(';')[0] ?? '';
    expect((await request(haul.url, '/api/session', { headers: as(session) })).json()).toEqual({ accounts: true, user: { name: 'ann', role: 'user' } });
    expect((await request(haul.url, '/api/downloads', { headers: as(session) })).status).toBe(200);
    // The data folder's token stays the machine owner's key.
    expect((await request(haul.url, '/api/downloads', { token: TOKEN })).status).toBe(200);
    await request(haul.url, '/api/logout', { method: 'POST', headers: as(session) });
    expect((await request(haul.url, '/api/downloads', { headers: as(session) })).status).toBe(401);
    // Reached over https (here: behind a TLS proxy at a path), the cookie is Secure and scoped to that path.
    const behind = await withUsers([['ann', 'user']], { publicUrl: new URL('https://nas.example/haul/') });
    expect(String((await signIn(behind.url, 'ann')).headers['set-cookie']?.[0])).toMatch(/; Path=\/haul\/; HttpOnly; SameSite=Strict; Max-Age=604800; Secure$/u);
  });

  it('throttles sign-ins: after five wrong passwords from one place even the right one waits a moment', async () => {
    const haul = await withUsers([['ann', 'user']]);
    for (let i = 0; i < 5; i++) expect((await signIn(haul.url, 'ann', 'wrong-password')).json().error).toEqual({ code: 'UNAUTHORIZED', message: 'The name or the password is wrong.' });
    const locked = await signIn(haul.url, 'ann');
    expect(locked.status).toBe(429);
    expect(locked.json().error.message).toMatch(/^Too many failed sign-ins\. Wait 1 s/u);
    // An unknown name answers exactly like a wrong password.
    expect((await signIn(haul.url, 'nobody', 'whatever-password')).json().error.message).toBe('The name or the password is wrong.');
  });

  it('hold a user to their own limits: downloads running at once, and one speed over all of theirs', async () => {
    const files = await startTestServer({
      '/a.bin': serveBytes(testBytes(4 * 1024 * 1024, 1)),
      '/b.bin': serveBytes(testBytes(4 * 1024 * 1024, 2)),
      '/c.bin': serveBytes(testBytes(4 * 1024 * 1024, 4)),
    });
    try {
      const haul = await withUsers([['ann', 'user']]);
      const limited = await runHaulWithInput(['user', 'limit', 'ann', '--max-running', '1', '--speed-limit', '256K'], { HAUL_DATA_DIR: haul.dataDir }, '');
      expect(limited.stdout).toBe('Limits of ann: 1 running, 256 KiB/s.\n');
      const ann = await cookieOf(haul.url, 'ann');
      const rate = 256 * 1024;
      const started = Date.now();
      let worstRunning = 0;
      let worstAhead = Number.NEGATIVE_INFINITY;
      haul.engine.on('progress', () => {
        const mine = haul.engine.list();
        worstRunning = Math.max(worstRunning, mine.filter((d) => d.status === 'downloading').length);
        const received = mine.reduce((n, d) => n + d.received, 0);
        worstAhead = Math.max(worstAhead, received - ((Date.now() - started) / 1000) * rate);
      });
      await request(haul.url, '/api/downloads', { method: 'POST', headers: { ...json, cookie: ann }, body: JSON.stringify({ urls: [files.url('/a.bin'), files.url('/b.bin'), files.url('/c.bin')] }) });
      await waitUntil(() => haul.engine.list().reduce((n, d) => n + d.received, 0) > 1024 * 1024, 15_000, 'a MiB of ann’s downloads');
      expect(worstRunning).toBe(1);
      expect(haul.engine.list().filter((d) => d.status === 'queued')).toHaveLength(2);
      // An upper bound at every moment (a slow machine cannot fail it): the bucket's burst plus one read and one writer batch.
      expect(worstAhead).toBeLessThanOrEqual(rate / 4 + 512 * 1024);
    } finally {
      await files.close();
    }
  });

  it('keep users apart on every route and in the event stream; admins see all; viewers only watch', async () => {
    const files = await startTestServer({ '/ann.bin': serveBytes(testBytes(4 * 1024 * 1024, 3), { rate: 512 * 1024 }), '/bob.txt': serveBytes(Buffer.from('bob')) });
    try {
      const haul = await withUsers([
        ['ann', 'user'],
        ['bob', 'user'],
        ['vic', 'viewer'],
        ['root', 'admin'],
      ]);
      const [ann, bob, vic, root] = await Promise.all(['ann', 'bob', 'vic', 'root'].map((n) => cookieOf(haul.url, n)));
      const bobStream = new SseReader(`${haul.url}api/events`, as(bob ?? ''));
      const added = await request(haul.url, '/api/downloads', { method: 'POST', headers: { ...json, ...as(ann ?? '') }, body: JSON.stringify({ url: files.url('/ann.bin') }) });
      const annsId = (added.json().downloads[0] as Download).id;
      expect(added.json().downloads[0]).toMatchObject({ owner: 'ann', dir: path.join(haul.downloadDir, 'ann') });
      // A user's download outside their folder is refused.
      const outside = await request(haul.url, '/api/downloads', {
        method: 'POST',
        headers: { ...json, ...as(ann ?? '') },
        body: JSON.stringify({ url: files.url('/ann.bin'), dir: path.join(haul.downloadDir, 'bob') }),
      });
      expect(outside.json().error.message).toMatch(/outside your download folder/u);
      const bobs = await request(haul.url, '/api/downloads', { method: 'POST', headers: { ...json, ...as(bob ?? '') }, body: JSON.stringify({ url: files.url('/bob.txt') }) });
      // Bob's own download finishes first, so his pause-all below has nothing of his to pause either.
      const bobsId: string = bobs.json().downloads[0].id;
      await waitUntil(() => haul.engine.get(bobsId)?.status === 'completed', 10_000, "bob's download completing");
      const names = async (cookie: string) => ((await request(haul.url, '/api/downloads', { headers: as(cookie) })).json().downloads as Download[]).map((d) => d.filename).sort();
      expect(await names(ann ?? '')).toEqual(['ann.bin']);
      expect(await names(bob ?? '')).toEqual(['bob.txt']);
      expect(await names(root ?? '')).toEqual(['ann.bin', 'bob.txt']);
      expect(await names(vic ?? '')).toEqual(['ann.bin', 'bob.txt']);
      // Every route that takes an id: another user's download does not exist for bob.
      for (const [method, route, body] of [
        ['GET', '', undefined],
        ['GET', '/details', undefined],
        ['GET', '/peers', undefined],
        ['GET', '/file', undefined],
        ['POST', '/pause', undefined],
        ['POST', '/resume', undefined],
        ['POST', '/open', undefined],
        ['POST', '/reveal', undefined],
        ['POST', '/move', { to: 'top' }],
        ['PATCH', '', { speedLimit: 1 }],
        ['DELETE', '', undefined],
      ] as const) {
        const res = await request(haul.url, `/api/downloads/${annsId}${route}`, {
          method,
          headers: { ...as(bob ?? ''), ...(body === undefined ? {} : json) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        // Opening on the host is an admin's call: a user is refused before any id is looked up.
        expect(res.status, `${method} ${route}`).toBe(route === '/open' || route === '/reveal' ? 403 : 404);
      }
      expect((await request(haul.url, '/api/actions/pause-all', { method: 'POST', headers: as(bob ?? '') })).json()).toEqual({ count: 0 });
      expect(haul.engine.require(annsId).status).toBe('downloading');
      // Viewers watch; only admins change settings.
      const viewerPause = await request(haul.url, `/api/downloads/${annsId}/pause`, { method: 'POST', headers: as(vic ?? '') });
      expect(viewerPause.json().error.code).toBe('FORBIDDEN');
      expect((await request(haul.url, '/api/settings', { method: 'PATCH', headers: { ...json, ...as(ann ?? '') }, body: JSON.stringify({ maxConcurrent: 5 }) })).json().error).toEqual({
        code: 'FORBIDDEN',
        message: 'Only an admin can do this.',
      });
      // Bob's stream never carries ann's download: not in the snapshot, not as it moves. Once
      // the admin's stream has seen ann's progress, a settings change (sent to everyone, after
      // any pending progress) marks the point by which bob's stream would have had it too.
      const rootStream = new SseReader(`${haul.url}api/events`, as(root ?? ''));
      await rootStream.until((r) => r.named('progress').some((e) => e.data.includes(annsId)));
      expect((await request(haul.url, '/api/settings', { method: 'PATCH', headers: { ...json, ...as(root ?? '') }, body: JSON.stringify({ maxConcurrent: 5 }) })).status).toBe(200);
      await bobStream.until((r) => r.named('settings').some((e) => e.data.includes('"maxConcurrent":5')));
      expect(bobStream.raw).toContain('bob.txt');
      expect(bobStream.raw).not.toContain(annsId);
      expect(bobStream.raw).not.toContain('ann.bin');
      bobStream.close();
      rootStream.close();
      // Bob's own API token works for scripts, and sees what bob sees.
      const token = (await request(haul.url, '/api/tokens', { method: 'POST', headers: { ...json, ...as(bob ?? '') }, body: '{"label":"script"}' })).json().token as string;
      expect(((await request(haul.url, '/api/downloads', { token })).json().downloads as Download[]).map((d) => d.filename)).toEqual(['bob.txt']);
    } finally {
      await files.close();
    }
  });
});
