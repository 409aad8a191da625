import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../../electron/engine/clock.ts';
import { KEYS } from '../../../../electron/server/cluster/keys.ts';
import { NodeRegistry } from '../../../../electron/server/cluster/nodes.ts';
import { installScripts } from '../../../../electron/server/cluster/scripts.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';

let server: RunningRedis;

async function registry(name: string, value: string, ttlMs: number, clock: Clock = systemClock): Promise<NodeRegistry> {
  const ctl = await server.connect(name);
  return new NodeRegistry({ ctl, scripts: installScripts(ctl), clock, name, value, ttlMs, maxlen: 1000 });
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server.stop();
});

describe('NodeRegistry on a real Redis', () => {
  it('refuses a second live node under the same name, naming the way out', async () => {
    const first = await registry('box', 'box/1', 300);
    await first.join();
    // The first keeps beating, so its name stays taken for as long as the second waits.
    const beating = setInterval(() => void first.beat({ running: 0, maxConcurrent: 3 }), 100);
    try {
      const second = await registry('box', 'box/2', 300);
      await expect(second.join()).rejects.toThrow(/Another Haul node named "box" is running on this Redis\. Give this one its own name with --node-name\./u);
    } finally {
      clearInterval(beating);
    }
  });

  it('takes over the name of a node that died, once its key lapses', async () => {
    const dead = await registry('gone', 'gone/1', 200);
    await dead.join();
    const next = await registry('gone', 'gone/2', 200);
    await next.join();
    expect(await (await server.connect()).get(KEYS.alive('gone'))).toBe('gone/2');
  });

  it('lists a dead node as not answering, and forgets one not heard of for a day', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const clock: Clock = { ...systemClock, now: () => now };
    const old = await registry('retired', 'retired/1', 60_000, clock);
    await old.join();
    await (await server.connect()).del(KEYS.alive('retired'));
    const viewer = await registry('viewer', 'viewer/1', 60_000, clock);
    expect((await viewer.list()).find((n) => n.name === 'retired')).toMatchObject({ alive: false, running: 0 });
    now += 25 * 60 * 60_000;
    expect((await viewer.list()).some((n) => n.name === 'retired')).toBe(false);
    expect(await (await server.connect()).hexists(KEYS.nodes, 'retired')).toBe(0);
  });
});
