import { describe, expect, it } from 'vitest';
import { addTestUsers, request, startTestHaul } from '../../helpers/haul-harness.ts';
import { runHaulWithInput } from '../../helpers/run-cli.ts';

const json = { 'content-type': 'application/json' };

async function signIn(base: string, name: string, password: string): Promise<string> {
  const res = await request(base, '/api/login', { method: 'POST', headers: json, body: JSON.stringify({ name, password }) });
  expect(res.status, res.body).toBe(200);
  return String(res.headers['set-cookie']?.[0]).split(';')[0] ?? '';
}

describe('a changed password and API tokens', () => {
  it('a new password (haul user passwd, while Haul runs) ends every sign-in of that user; tokens stay unless revoked too', async () => {
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [
      ['ann', 'user'],
      ['bob', 'user'],
    ]);
    const laptop = await signIn(haul.url, 'ann', 'ann-password');
    const phone = await signIn(haul.url, 'ann', 'ann-password');
    const bobs = await signIn(haul.url, 'bob', 'bob-password');
    const token = (await request(haul.url, '/api/tokens', { method: 'POST', headers: { ...json, cookie: laptop }, body: JSON.stringify({ label: 'backup script' }) })).json().token;
    const changed = await runHaulWithInput(['user', 'passwd', 'ann', '--data-dir', haul.dataDir], {}, 'a-brand-new-password\n');
    expect(changed.stdout).toBe('Changed the password of ann; their sign-ins have ended.\n');
    for (const cookie of [laptop, phone]) expect((await request(haul.url, '/api/downloads', { headers: { cookie } })).status).toBe(401);
    expect((await request(haul.url, '/api/downloads', { headers: { cookie: bobs } })).status).toBe(200);
    expect((await request(haul.url, '/api/downloads', { token })).status).toBe(200);
    const fresh = await signIn(haul.url, 'ann', 'a-brand-new-password');
    expect((await request(haul.url, '/api/downloads', { headers: { cookie: fresh } })).status).toBe(200);
    // With --revoke-tokens, the tokens end too.
    const again = await runHaulWithInput(['user', 'passwd', 'ann', '--revoke-tokens', '--data-dir', haul.dataDir], {}, 'another-new-password\n');
    expect(again.stdout).toBe('Changed the password of ann; their sign-ins have ended. Revoked 1 API token.\n');
    expect((await request(haul.url, '/api/downloads', { token })).status).toBe(401);
    expect((await request(haul.url, '/api/downloads', { headers: { cookie: fresh } })).status).toBe(401);
  });

  it('lists a user’s tokens with label, made and last used, and revokes one alone (API and haul user tokens)', async () => {
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [
      ['ann', 'user'],
      ['bob', 'user'],
    ]);
    const ann = await signIn(haul.url, 'ann', 'ann-password');
    const bob = await signIn(haul.url, 'bob', 'bob-password');
    const make = async (label: string) => (await request(haul.url, '/api/tokens', { method: 'POST', headers: { ...json, cookie: ann }, body: JSON.stringify({ label }) })).json();
    const first = await make('nightly');
    const second = await make('extension');
    expect((await request(haul.url, '/api/downloads', { token: first.token })).status).toBe(200);
    const listed = (await request(haul.url, '/api/tokens', { headers: { cookie: ann } })).json().tokens;
    expect(listed.map((t: { id: string; label: string }) => [t.id, t.label])).toEqual([
      [first.id, 'nightly'],
      [second.id, 'extension'],
    ]);
    expect(listed[0].lastUsed).toMatch(/^\d{4}-\d\d-\d\dT/u);
    expect(listed[1].lastUsed).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(first.token);
    // Bob neither sees nor revokes ann's.
    expect((await request(haul.url, '/api/tokens', { headers: { cookie: bob } })).json().tokens).toEqual([]);
    expect((await request(haul.url, `/api/tokens/${first.id}`, { method: 'DELETE', headers: { cookie: bob } })).status).toBe(404);
    expect((await request(haul.url, `/api/tokens/${first.id}`, { method: 'DELETE', headers: { cookie: ann } })).status).toBe(204);
    expect((await request(haul.url, '/api/downloads', { token: first.token })).status).toBe(401);
    expect((await request(haul.url, '/api/downloads', { token: second.token })).status).toBe(200);
    // The same from the terminal.
    const cli = await runHaulWithInput(['user', 'tokens', 'ann', '--data-dir', haul.dataDir], {}, '');
    expect(cli.stdout).toMatch(new RegExp(`^${second.id}\\textension\\t\\S+\\t\\d{4}-\\S+\\n$`, 'u'));
    const revoked = await runHaulWithInput(['user', 'tokens', 'ann', '--revoke', second.id, '--data-dir', haul.dataDir], {}, '');
    expect(revoked.stdout).toBe(`Revoked ann's token ${second.id}.\n`);
    expect((await request(haul.url, '/api/downloads', { token: second.token })).status).toBe(401);
    const unknown = await runHaulWithInput(['user', 'tokens', 'ann', '--revoke', 'nope', '--data-dir', haul.dataDir], {}, '');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('ann has no API token "nope"');
  });
});
