import { describe, expect, it } from 'vitest';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { runHaulWithInput } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('haul user', () => {
  it('adds, lists, changes the password of and removes users, while Haul runs', async () => {
    const haul = await startTestHaul();
    const env = { HAUL_DATA_DIR: haul.dataDir };
    const login = (name: string, password: string) => request(haul.url, '/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
    expect((await runHaulWithInput(['user', 'add', 'ann'], env, 'first password\n')).stdout).toBe('Added ann (user). Accounts are on: signing in is now required.\n');
    expect((await runHaulWithInput(['user', 'add', 'vic', '--role', 'viewer'], env, 'viewer password\n')).stdout).toBe('Added vic (viewer).\n');
    // The running server sees them at once.
    expect((await login('ann', 'first password')).status).toBe(200);
    expect((await runHaulWithInput(['user', 'passwd', 'ann'], env, 'second password\n')).stdout).toBe('Changed the password of ann; their sign-ins have ended.\n');
    expect((await login('ann', 'first password')).status).toBe(401);
    expect((await login('ann', 'second password')).status).toBe(200);
    const listed = await runHaulWithInput(['user', 'list'], env, '');
    expect(listed.stdout.split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(['ann user', 'vic viewer', '']);
    expect((await runHaulWithInput(['user', 'remove', 'vic'], env, '')).stdout).toBe('Removed vic. Their downloads stay; an admin sees them.\n');
    expect((await login('vic', 'viewer password')).status).toBe(401);
  });

  it('says what is wrong with a name, a role, a duplicate or a missing user', async () => {
    const env = { HAUL_DATA_DIR: tempDir() };
    expect(await runHaulWithInput(['user', 'add', 'Ann Smith'], env, 'long enough\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^haul user: give a user name: 1 to 32 lower-case letters/u),
    });
    expect(await runHaulWithInput(['user', 'add', 'ann', '--role', 'boss'], env, 'long enough\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^haul user: --role must be admin, user or viewer, not "boss"\./u),
    });
    await runHaulWithInput(['user', 'add', 'ann'], env, 'long enough\n');
    expect(await runHaulWithInput(['user', 'add', 'ann'], env, 'long enough\n')).toMatchObject({
      code: 1,
      stderr: 'haul user: There is already a user "ann"; change their password with "haul user passwd ann".\n',
    });
    expect(await runHaulWithInput(['user', 'passwd', 'bob'], env, 'long enough\n')).toMatchObject({ code: 1, stderr: 'haul user: There is no user "bob"; add them with "haul user add bob".\n' });
    expect(await runHaulWithInput(['user', 'rename', 'ann'], env, '')).toMatchObject({ code: 2, stderr: expect.stringMatching(/"rename" is not a user command/u) });
  });
});
