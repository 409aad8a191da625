import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from '../../../../shared/api.ts';
import type { RedisAddress } from '../../../../electron/server/cluster/redis-url.ts';
import { request, startTestHaul } from '../../../helpers/haul-harness.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let server: RunningRedis;
let address: RedisAddress;

beforeAll(async () => {
  server = await startRedis();
  address = server.address;
});

afterAll(async () => {
  await server.stop();
});

describe('a Haul node in this process', () => {
  it('says so when Redis comes back without its data, and keeps event ids going up', async () => {
    const lines: string[] = [];
    const haul = await startTestHaul({ cluster: { redis: address, node: 'solo', leaseMs: 2_000 }, log: (line) => lines.push(line) });
    const added = await request(haul.url, '/api/downloads', {
      method: 'POST',
      token: haul.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/x', paused: true }),
    });
    expect(added.status).toBe(201);
    const id = (added.json() as { downloads: Download[] }).downloads[0]?.id ?? '';
    const seqBefore = Number(execFileSync('redis-cli', ['-p', String(server.port), 'GET', 'haul:seq']).toString());
    expect(seqBefore).toBeGreaterThan(0);
    // Redis loses everything, and every connection drops (as in a restart without its files).
    execFileSync('redis-cli', ['-p', String(server.port), 'FLUSHALL']);
    execFileSync('redis-cli', ['-p', String(server.port), 'CLIENT', 'KILL', 'TYPE', 'normal']);
    await waitUntil(() => lines.some((l) => l.includes("came back without Haul's data")), 10_000, 'the warning');
    expect(Number(execFileSync('redis-cli', ['-p', String(server.port), 'GET', 'haul:seq']).toString())).toBeGreaterThanOrEqual(seqBefore);
    // This node still lists what it knew; the warning above says Redis no longer holds it.
    expect((await request(haul.url, `/api/downloads/${id}`, { token: haul.token })).status).toBe(200);
  });

  it('answers 503 UNAVAILABLE, saying what to do, while Redis is away, and works again once it is back', async () => {
    const lines: string[] = [];
    const haul = await startTestHaul({ cluster: { redis: address, node: 'away', leaseMs: 2_000 }, log: (line) => lines.push(line) });
    expect((await request(haul.url, '/api/downloads', { token: haul.token })).status).toBe(200);
    await server.kill9();
    try {
      const answer = await request(haul.url, '/api/downloads', { token: haul.token });
      expect(answer.status).toBe(503);
      expect(answer.json()).toEqual({ error: { code: 'UNAVAILABLE', message: `Haul's shared Redis at redis://127.0.0.1:${server.port}/0 did not answer in 5 s; try again once it is back.` } });
    } finally {
      await server.restart();
    }
    await waitUntil(() => lines.some((l) => l.includes('answers again')), 15_000, 'Redis answering again');
    expect(lines.some((l) => l.includes('does not answer'))).toBe(true);
    expect((await request(haul.url, '/api/downloads', { token: haul.token })).status).toBe(200);
  }, 30_000);
});
