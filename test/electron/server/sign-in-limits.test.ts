import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/engine/clock.ts';
import { TrustedProxies } from '../../../electron/server/accounts/client-address.ts';
import { SignInThrottle } from '../../../electron/server/accounts/sign-in-throttle.ts';
import { addTestUsers, request, startTestHaul } from '../../helpers/haul-harness.ts';
import { runHaul } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const json = { 'content-type': 'application/json' };

function signIn(base: string, name: string, password: string, forwardedFor?: string) {
  return request(base, '/api/login', { method: 'POST', headers: { ...json, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) }, body: JSON.stringify({ name, password }) });
}

describe('sign-in limits against a real server', () => {
  it('count every attempt before the password is checked: 60 sent at once get at most 5 tries', async () => {
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [['ann', 'user']]);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(haul.url, 'ann', i === 59 ? 'ann-password' : `guess-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    expect(answers.find((a) => a.status === 429)?.json().error.message).toMatch(/^Too many failed sign-ins\. Wait \d+ s, then try again\.$/u);
  });

  it('behind a proxy named with --trust-proxy, slow the guesser and let the right person in from elsewhere', async () => {
    const haul = await startTestHaul({ trustProxy: new TrustedProxies(['127.0.0.1', '::1']) });
    await addTestUsers(haul.dataDir, [
      ['ann', 'user'],
      ['bob', 'user'],
    ]);
    for (let i = 0; i < 30; i++) await signIn(haul.url, 'ann', `guess-${i}`, '203.0.113.5');
    expect((await signIn(haul.url, 'ann', 'ann-password', '203.0.113.5')).status).toBe(429);
    // Ann herself, behind the same proxy, from her own address.
    expect((await signIn(haul.url, 'ann', 'ann-password', '198.51.100.7, 127.0.0.1')).status).toBe(200);
    // Other names from the guesser's address are not locked by ann's failures.
    expect((await signIn(haul.url, 'bob', 'bob-password', '203.0.113.5')).status).toBe(200);
  });

  it('ignore X-Forwarded-For from anyone not named as a proxy', async () => {
    const haul = await startTestHaul();
    await addTestUsers(haul.dataDir, [['ann', 'user']]);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(haul.url, 'ann', `guess-${i}`, `198.51.100.${i + 1}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});

describe('the sign-in throttle', () => {
  const clockAt = (start: number) => {
    let t = start;
    return { clock: { now: () => t } as Clock, advance: (ms: number) => (t += ms) };
  };

  it('waits longer after each failure past the free ones, and a success clears only that name from that address', () => {
    const { clock, advance } = clockAt(1_000_000);
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 5; i++) throttle.begin('ann', 'a');
    expect(() => throttle.begin('ann', 'a')).toThrow(/Wait 1 s/u);
    advance(1_000);
    throttle.begin('ann', 'a');
    expect(() => throttle.begin('ann', 'a')).toThrow(/Wait 2 s/u);
    advance(2_000);
    throttle.begin('ann', 'a');
    expect(() => throttle.begin('ann', 'a')).toThrow(/Wait 4 s/u);
    // The waits grow to 15 minutes at most for one name from one address.
    const waits: string[] = [];
    for (let i = 0; i < 11; i++) {
      const refused = (() => {
        try {
          throttle.begin('ann', 'a');
          return 'none';
        } catch (error) {
          return (error as Error).message.replace(/^.*Wait (.*), then.*$/u, '$1');
        }
      })();
      waits.push(refused);
      const [n, unit] = refused.split(' ');
      advance(Number(n) * (unit === 'min' ? 60_000 : 1_000));
      throttle.begin('ann', 'a');
    }
    expect(waits).toEqual(['4 s', '8 s', '16 s', '32 s', '64 s', '3 min', '5 min', '9 min', '15 min', '15 min', '15 min']);
    // Bob from the same address: his own count; a success for him leaves ann's as it was.
    for (let i = 0; i < 4; i++) throttle.begin('bob', 'a');
    throttle.begin('bob', 'a').succeeded();
    throttle.begin('bob', 'a').succeeded();
    expect(() => throttle.begin('ann', 'a')).toThrow(/Wait/u);
  });

  it('slows one address trying many names only briefly, so people behind one proxy are not locked out', () => {
    const { clock, advance } = clockAt(5_000_000);
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < 50; i++) throttle.begin(`user${i}`, 'proxy');
    expect(() => throttle.begin('someone', 'proxy')).toThrow(/Wait 1 s/u);
    for (let i = 0; i < 10; i++) {
      advance(60_000);
      throttle.begin(`more${i}`, 'proxy');
    }
    expect(() => throttle.begin('someone', 'proxy')).toThrow(/Wait 60 s/u);
    advance(60_000);
    expect(() => throttle.begin('someone', 'proxy').succeeded()).not.toThrow();
  });
});

describe('haul serve --trust-proxy', () => {
  it('refuses a value that is not an address or a range, naming it', async () => {
    const result = await runHaul(['serve', '--trust-proxy', '127.0.0.1,proxy.example'], { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"proxy.example"');
  });
});
