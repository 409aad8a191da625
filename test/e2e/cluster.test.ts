import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, NodesAnswer } from '../../shared/api.ts';
import { api, downloadOn, startNode, stopNode, waitForDownload, type HaulNode } from '../helpers/cluster-harness.ts';
import { startRedis, type RunningRedis } from '../helpers/redis-server.ts';
import { SseReader } from '../helpers/sse-reader.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { serveBytes, sha256, startTestServer, testBytes, type Handler, type TestServer } from '../helpers/test-server.ts';

const MiB = 1024 * 1024;
let redis: RunningRedis;
let files: TestServer;
let shared: string;
let nodes: HaulNode[];
/** Body bytes the file server has sent for each path. */
const served = new Map<string, number>();

/** serveBytes, counting what it sends. */
function counted(name: string, data: Buffer, rate?: number): Handler {
  const inner = serveBytes(data, { etag: `"${name}-v1"`, ...(rate === undefined ? {} : { rate }) });
  return (req, res, hit) => {
    const write = res.write.bind(res) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    res.write = ((chunk: Buffer, ...rest: unknown[]) => {
      served.set(name, (served.get(name) ?? 0) + chunk.length);
      return write(chunk, ...rest);
    }) as typeof res.write;
    inner(req, res, hit);
  };
}

function redisCli(server: RunningRedis, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(server.port), ...args])
    .toString()
    .trim();
}

async function add(node: HaulNode, body: Record<string, unknown>): Promise<Download> {
  const res = await api(node, '/api/downloads', 'POST', body);
  expect(res.status).toBe(201);
  return (res.json() as { downloads: Download[] }).downloads[0] as Download;
}

function nodeNamed(name: string | undefined): HaulNode {
  const node = nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no node ${name}`);
  return node;
}

beforeAll(async () => {
  redis = await startRedis();
  files = await startTestServer();
  shared = tempDir('haul-cluster-shared-');
  nodes = [];
  for (const name of ['a', 'b', 'c']) nodes.push(await startNode(name, redis.url, shared));
}, 60_000);

afterAll(async () => {
  for (const node of nodes) await stopNode(node);
  await files?.close();
  await redis?.stop();
});

describe('several nodes sharing one Redis', () => {
  it('share one token, and list each other', async () => {
    const [a, b, c] = nodes as [HaulNode, HaulNode, HaulNode];
    expect(b.token).toBe(a.token);
    expect(c.token).toBe(a.token);
    const answer = (await api(b, '/api/nodes')).json() as NodesAnswer;
    expect(answer.self).toBe('b');
    expect(answer.nodes.map((n) => [n.name, n.alive, n.draining])).toEqual([
      ['a', true, false],
      ['b', true, false],
      ['c', true, false],
    ]);
  });

  it("a client of node B sees node A's download live, and it runs somewhere and completes byte-exact", async () => {
    const [a, b] = nodes as [HaulNode, HaulNode];
    const data = testBytes(6 * MiB, 7);
    files.route('/live.bin', counted('live', data, 2 * MiB));
    const stream = new SseReader(`${b.base}api/events`, { authorization: `Bearer ${b.token}` });
    await stream.until((r) => r.events.some((e) => e.event === 'snapshot'));
    const d = await add(a, { url: files.url('/live.bin'), connections: 1 });
    await stream.until((r) => r.events.some((e) => e.event === 'added' && JSON.parse(e.data).id === d.id));
    // Progress moving on B's stream while it runs, from whichever node runs it.
    await stream.until((r) =>
      r.events.some((e) => e.event === 'progress' && JSON.parse(e.data).items.some((i: { id: string; received: number }) => i.id === d.id && i.received > 0 && i.received < data.length)),
    );
    const running = await waitForDownload(b, d.id, (x) => x.status === 'downloading' && x.node !== undefined, 10_000, 'running');
    expect(['a', 'b', 'c']).toContain(running.node);
    await stream.until((r) => r.events.some((e) => e.event === 'updated' && JSON.parse(e.data).id === d.id && JSON.parse(e.data).status === 'completed'), 30_000);
    const done = await downloadOn(b, d.id);
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    // Ids are integers that only go up, as one node's are.
    const ids = stream.events.map((e) => Number(e.id));
    expect(ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > (ids[i - 1] ?? 0)))).toBe(true);
    stream.close();
  });

  it('a download added on C runs somewhere and completes byte-exact; every node lists it with its node', async () => {
    const c = nodes[2] as HaulNode;
    const data = testBytes(3 * MiB, 8);
    files.route('/on-c.bin', counted('on-c', data));
    const d = await add(c, { url: files.url('/on-c.bin') });
    const done = await waitForDownload(c, d.id, (x) => x.status === 'completed', 30_000, 'completed');
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    for (const node of nodes) expect((await downloadOn(node, d.id)).node).toBe(done.node);
  });

  it('kill -9 of the node running a download hands it to another node, which completes it exact and from where it was', async () => {
    const a = nodes[0] as HaulNode;
    const data = testBytes(12 * MiB, 9);
    files.route('/failover.bin', counted('failover', data, MiB));
    const d = await add(a, { url: files.url('/failover.bin'), connections: 2 });
    const before = await waitForDownload(a, d.id, (x) => x.status === 'downloading' && x.received > data.length * 0.3, 30_000, 'a third done');
    const victim = nodeNamed(before.node);
    const survivor = nodes.find((n) => n !== victim) as HaulNode;
    await stopNode(victim, 'SIGKILL');
    const servedBefore = served.get('failover') ?? 0;
    // What the dead node had made durable (flushed, and so claimable) when it died.
    const durable = JSON.parse(redisCli(redis, 'HGET', `haul:download:${d.id}`, 'received')) as number;
    expect(durable).toBeGreaterThan(0);
    nodes = nodes.filter((n) => n !== victim);
    const moved = await waitForDownload(survivor, d.id, (x) => x.status === 'downloading' && x.node !== victim.name, 15_000, 'taken over');
    expect(nodes.map((n) => n.name)).toContain(moved.node);
    const done = await waitForDownload(survivor, d.id, (x) => x.status === 'completed', 60_000, 'completed after the takeover');
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    // From where it was: what was durable is not fetched again (give or take a segment's overlap).
    const refetched = (served.get('failover') ?? 0) - servedBefore;
    expect(refetched).toBeLessThan(data.length - durable + MiB);
    expect(files.requestsTo('/failover.bin').slice(-1)[0]?.headers.range).toMatch(/^bytes=[1-9]\d*-/u);
    // The dead node stays listed as not alive, with nothing running.
    const listed = ((await api(survivor, '/api/nodes')).json() as NodesAnswer).nodes.find((n) => n.name === victim.name);
    expect(listed).toMatchObject({ alive: false, running: 0 });
    // Back under the same name (it waits for the dead one's name to lapse).
    nodes.push(await startNode(victim.name, redis.url, shared));
  }, 120_000);
});
