import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, DownloadDetails, NodesAnswer } from '../../shared/api.ts';
import { api, downloadOn, startNode, stopNode, waitForDownload, type HaulNode } from '../helpers/cluster-harness.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { request } from '../helpers/haul-harness.ts';
import { openUiIn, row } from '../helpers/ui-harness.ts';
import { runHaulWithInput } from '../helpers/run-cli.ts';
import { freePort, waitForPort } from '../helpers/proxies.ts';
import { startRedis, type RunningRedis } from '../helpers/redis-server.ts';
import { SseReader } from '../helpers/sse-reader.ts';
import { lastingDir } from '../helpers/temp-dir.ts';
import { eventually, waitUntil } from '../helpers/wait.ts';
import { serveBytes, sha256, startTestServer, testBytes, type Handler, type TestServer } from '../helpers/test-server.ts';

const MiB = 1024 * 1024;
let redis: RunningRedis;
let files: TestServer;
let shared: string;
let nodes: HaulNode[];
/** Body bytes the file server has sent for each path, and its responses still open. */
const served = new Map<string, number>();
const open = new Map<string, Set<object>>();

/** serveBytes, counting what it sends. */
function counted(name: string, data: Buffer, rate?: number): Handler {
  const inner = serveBytes(data, { etag: `"${name}-v1"`, ...(rate === undefined ? {} : { rate }) });
  return (req, res, hit) => {
    const write = res.write.bind(res) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    res.write = ((chunk: Buffer, ...rest: unknown[]) => {
      served.set(name, (served.get(name) ?? 0) + chunk.length);
      return write(chunk, ...rest);
    }) as typeof res.write;
    const responses = open.get(name) ?? new Set<object>();
    open.set(name, responses.add(res));
    res.on('close', () => responses.delete(res));
    inner(req, res, hit);
  };
}

/** nginx balancing over `ports` round robin, every proxy setting at its default. */
async function startNginx(ports: readonly number[]): Promise<{ port: number; child: ChildProcess }> {
  const dir = lastingDir('haul-nginx-');
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 256; }
http { access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream haul { ${ports.map((p) => `server 127.0.0.1:${p};`).join(' ')} }
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://haul; } } }
`,
  );
  const child = spawn('/usr/sbin/nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  await waitForPort(port);
  return { port, child };
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

/** Adds a paced download of `size` on the first node and waits until it runs with some bytes on disk: its node, and another. */
async function runningOne(name: string, size: number, seed: number, past: number): Promise<{ d: Download; data: Buffer; runner: HaulNode; other: HaulNode; before: Download }> {
  const data = testBytes(size, seed);
  files.route(`/${name}.bin`, counted(name, data, MiB));
  const d = await add(nodes[0] as HaulNode, { url: files.url(`/${name}.bin`), connections: 2 });
  const before = await waitForDownload(nodes[0] as HaulNode, d.id, (x) => x.status === 'downloading' && x.received > past, 30_000, 'running');
  const runner = nodeNamed(before.node);
  return { d, data, runner, other: nodes.find((n) => n !== runner) as HaulNode, before };
}

function nodeNamed(name: string | undefined): HaulNode {
  const node = nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no node ${name}`);
  return node;
}

beforeAll(async () => {
  redis = await startRedis();
  files = await startTestServer();
  shared = lastingDir('haul-cluster-shared-');
  nodes = [];
  // nginx's default proxy_pass to an upstream block sends that block's name as Host.
  for (const name of ['a', 'b', 'c']) nodes.push(await startNode(name, redis.url, shared, ['--allow-host', 'haul']));
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
    // Each node's data folder keeps the token it answers to.
    for (const node of nodes) expect(fs.readFileSync(path.join(node.dataDir, 'token'), 'utf8').trim()).toBe(a.token);
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
    // The detail panel of a node that does not run it gets the running node's view: connections, ranges, its log.
    const elsewhere = nodes.find((n) => n.name !== running.node) as HaulNode;
    await eventually(
      async () => {
        const details = (await api(elsewhere, `/api/downloads/${d.id}/details`)).json() as DownloadDetails;
        return details.connections.length > 0 && details.log.some((l) => l.kind === 'started');
      },
      10_000,
      "the running node's details",
    );
    await stream.until((r) => r.events.some((e) => e.event === 'updated' && JSON.parse(e.data).id === d.id && JSON.parse(e.data).status === 'completed'), 30_000);
    const done = await downloadOn(b, d.id);
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    // Ids are integers that only go up, as one node's are.
    const ids = stream.events.map((e) => Number(e.id));
    expect(ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > (ids[i - 1] ?? 0)))).toBe(true);
    stream.close();
  });

  it("in a browser, node B's page shows a download node A added, running, with its node; Settings lists the nodes and drains one", async () => {
    const [a, b] = nodes as [HaulNode, HaulNode];
    // The file is answered only once the page has shown who runs it: the download is running, not done, until then.
    const shown = Promise.withResolvers<void>();
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openUiIn(browser, b.base, b.token, { viewport: { width: 1280, height: 800 } });
      const data = testBytes(4 * MiB, 15);
      const serve = counted('seen', data, MiB);
      files.route('/seen.iso', (req, res, hit) => void shown.promise.then(() => serve(req, res, hit)));
      const d = await add(a, { url: files.url('/seen.iso'), connections: 1 });
      await expect.poll(() => row(page, 'seen.iso').isVisible(), { timeout: 10_000 }).toBe(true);
      await row(page, 'seen.iso').click();
      const panel = page.getByRole('complementary', { name: 'Details of seen.iso' });
      await waitForDownload(b, d.id, (x) => x.status === 'downloading' && x.node !== undefined, 10_000, 'running');
      // The node the panel names is the one running it now (under load a lease may move it on).
      // 'same', or what differs (said when the wait fails).
      const shownNode = async (): Promise<string> => {
        const inPanel = await panel
          .locator('dt', { hasText: 'Node' })
          .locator('+ dd')
          .textContent({ timeout: 1_000 })
          .catch(() => 'no Node row');
        const running = ((await api(b, `/api/downloads/${d.id}`)).json() as Download).node;
        return inPanel === running ? 'same' : `the panel says ${inPanel}, the API ${running}`;
      };
      await expect.poll(shownNode, { timeout: 15_000 }).toBe('same');
      shown.resolve();
      await page.getByRole('button', { name: 'Settings' }).click();
      const nodesList = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Nodes' });
      await expect.poll(() => nodesList.getByRole('listitem').count(), { timeout: 10_000 }).toBe(3);
      expect(await nodesList.getByRole('listitem').filter({ hasText: 'b (this one)' }).count()).toBe(1);
      await nodesList.getByRole('button', { name: 'Drain c: hand its downloads to the other nodes' }).click();
      await expect.poll(() => nodesList.getByRole('listitem').filter({ hasText: 'draining' }).count()).toBe(1);
      expect(((await api(a, '/api/nodes')).json() as NodesAnswer).nodes.find((n) => n.name === 'c')?.draining).toBe(true);
      await nodesList.getByRole('button', { name: 'Let c take downloads again' }).click();
      await expect.poll(async () => ((await api(a, '/api/nodes')).json() as NodesAnswer).nodes.find((n) => n.name === 'c')?.draining).toBe(false);
      await waitForDownload(b, d.id, (x) => x.status === 'completed', 30_000, 'completed');
      expect(errors).toEqual([]);
    } finally {
      shown.resolve();
      await browser.close();
    }
  }, 60_000);

  it('a download added on C runs somewhere and completes byte-exact; every node lists it with its node', async () => {
    const c = nodes[2] as HaulNode;
    const data = testBytes(3 * MiB, 8);
    files.route('/on-c.bin', counted('on-c', data));
    const d = await add(c, { url: files.url('/on-c.bin') });
    const done = await waitForDownload(c, d.id, (x) => x.status === 'completed', 30_000, 'completed');
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    for (const node of nodes) expect((await downloadOn(node, d.id)).node).toBe(done.node);
  });

  it('nginx balancing the API and the event stream over the nodes works with its default settings', async () => {
    const nginx = await startNginx(nodes.map((n) => Number(new URL(n.base).port)));
    const base = `http://127.0.0.1:${nginx.port}/`;
    const token = (nodes[0] as HaulNode).token;
    const via = (p: string, method = 'GET', body?: unknown) =>
      request(base, p, { method, token, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    try {
      // Round robin: consecutive requests are answered by different nodes.
      const answering = new Set<string>();
      for (let i = 0; i < 3; i++) answering.add(((await via('/api/nodes')).json() as NodesAnswer).self);
      expect(answering.size).toBe(3);
      const stream = new SseReader(`${base}api/events`, { authorization: `Bearer ${token}` });
      await stream.until((r) => r.events.some((e) => e.event === 'snapshot'));
      const data = testBytes(MiB, 12);
      files.route('/balanced.bin', counted('balanced', data));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const added = await via('/api/downloads', 'POST', { url: files.url('/balanced.bin'), filename: `balanced-${i}.bin` });
        expect(added.status).toBe(201);
        const id = (added.json() as { downloads: Download[] }).downloads[0]?.id ?? '';
        ids.push(id);
        // The next request goes to another node, which already knows it.
        expect((await via(`/api/downloads/${id}`)).status).toBe(200);
      }
      await stream.until((r) => ids.every((id) => r.events.some((e) => e.event === 'updated' && JSON.parse(e.data).id === id && JSON.parse(e.data).status === 'completed')), 30_000);
      for (const id of ids) {
        const d = (await via(`/api/downloads/${id}`)).json() as Download;
        expect(sha256(fs.readFileSync(path.join(d.dir, d.filename)))).toBe(sha256(data));
      }
      // A client that comes back (to whichever node nginx picks) is replayed what it missed, not sent a snapshot.
      const lastId = stream.events.at(-1)?.id ?? '';
      stream.close();
      const later = await via('/api/downloads', 'POST', { url: files.url('/balanced.bin'), filename: 'balanced-later.bin', paused: true });
      const laterId = (later.json() as { downloads: Download[] }).downloads[0]?.id;
      for (let i = 0; i < 3; i++) {
        const back = new SseReader(`${base}api/events`, { authorization: `Bearer ${token}`, 'last-event-id': lastId });
        await back.until((r) => r.events.some((e) => e.event === 'added'));
        expect(back.events[0]?.event).toBe('added');
        expect(JSON.parse(back.events[0]?.data ?? '{}').id).toBe(laterId);
        back.close();
      }
    } finally {
      nginx.child.kill('SIGTERM');
      await new Promise((resolve) => nginx.child.once('exit', resolve));
    }
  });

  it('an admin drains a node: its download moves on from where it was and it takes no new ones until let go', async () => {
    const { d, data, runner: drained, other: admin } = await runningOne('drained', 8 * MiB, 13, MiB);
    expect((await api(admin, `/api/nodes/${drained.name}/drain`, 'POST', { draining: 'yes' })).status).toBe(400);
    expect((await api(admin, '/api/nodes/nobody/drain', 'POST', { draining: true })).status).toBe(404);
    const answer = await api(admin, `/api/nodes/${drained.name}/drain`, 'POST', { draining: true });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ name: drained.name, draining: true });
    const moved = await waitForDownload(admin, d.id, (x) => x.status === 'downloading' && x.node !== drained.name, 15_000, 'moved off the drained node');
    expect(moved.received).toBeGreaterThan(0);
    const small = testBytes(256 * 1024, 14);
    files.route('/after-drain.bin', counted('after-drain', small));
    const later: Download[] = [];
    for (let i = 0; i < 4; i++) later.push(await add(drained, { url: files.url('/after-drain.bin'), filename: `after-drain-${i}.bin` }));
    for (const x of later) expect((await waitForDownload(admin, x.id, (y) => y.status === 'completed', 30_000, 'completed')).node).not.toBe(drained.name);
    const done = await waitForDownload(admin, d.id, (x) => x.status === 'completed', 60_000, 'completed');
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    const listed = ((await api(drained, '/api/nodes')).json() as NodesAnswer).nodes.find((n) => n.name === drained.name);
    expect(listed).toMatchObject({ draining: true, alive: true, running: 0 });
    expect((await api(admin, `/api/nodes/${drained.name}/drain`, 'POST', { draining: false })).json()).toMatchObject({ draining: false });
  }, 120_000);

  it('kill -9 of the node running a download hands it to another node, which completes it exact and from where it was', async () => {
    const { d, data, runner: victim, other: survivor } = await runningOne('failover', 12 * MiB, 9, 4 * MiB);
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
    nodes.push(await startNode(victim.name, redis.url, shared, ['--allow-host', 'haul']));
  }, 120_000);

  it('a node that dies with the part file on storage the others cannot see: the next node starts over and completes exact', async () => {
    const { d, data, runner: victim, other } = await runningOne('unshared', 6 * MiB, 16, MiB);
    const partFile = path.join(shared, 'unshared.bin.haul-part');
    await stopNode(victim, 'SIGKILL');
    nodes = nodes.filter((n) => n !== victim);
    // As on a machine without this folder: the bytes the record says are held are not there.
    fs.rmSync(partFile);
    const done = await waitForDownload(other, d.id, (x) => x.status === 'completed', 60_000, 'completed after starting over');
    expect(done.node).not.toBe(victim.name);
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    nodes.push(await startNode(victim.name, redis.url, shared, ['--allow-host', 'haul']));
  }, 120_000);

  it('a node stopped cleanly hands its running download back at once: its lease is given up, not left to lapse', async () => {
    const { d, data, runner, other } = await runningOne('stopped', 6 * MiB, 18, MiB);
    const lease = redisCli(redis, 'GET', `haul:lease:${d.id}`);
    expect(lease).toMatch(new RegExp(`^${runner.name}/`, 'u'));
    await stopNode(runner, 'SIGTERM');
    nodes = nodes.filter((n) => n !== runner);
    // Gone or another node's the moment it exited (a lapsed one would still be there for a lease time).
    expect(redisCli(redis, 'GET', `haul:lease:${d.id}`)).not.toBe(lease);
    const done = await waitForDownload(other, d.id, (x) => x.status === 'completed', 60_000, 'completed elsewhere');
    expect(done.node).not.toBe(runner.name);
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    nodes.push(await startNode(runner.name, redis.url, shared, ['--allow-host', 'haul']));
  }, 120_000);

  it('a node frozen past its lease loses the download to another and, woken, stops writing at once', async () => {
    const { d, data, runner: frozen, other } = await runningOne('frozen', 10 * MiB, 10, MiB);
    const frozenResponses = [...(open.get('frozen') ?? [])];
    expect(frozenResponses.length).toBeGreaterThan(0);
    frozen.child.kill('SIGSTOP');
    try {
      await waitForDownload(other, d.id, (x) => x.status === 'downloading' && x.node !== frozen.name && x.received > 0, 20_000, 'taken over while frozen');
    } finally {
      frozen.child.kill('SIGCONT');
    }
    // Woken, it finds its lease gone before it writes anything more, and drops its connections.
    await waitUntil(() => frozenResponses.every((res) => !(open.get('frozen') ?? new Set()).has(res)), 5_000, "the frozen node's connections closed");
    const done = await waitForDownload(other, d.id, (x) => x.status === 'completed', 60_000, 'completed');
    expect(done.node).not.toBe(frozen.name);
    expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    // And it works on: it lists itself alive again.
    await eventually(async () => ((await api(frozen, '/api/nodes')).json() as NodesAnswer).nodes.find((n) => n.name === frozen.name)?.alive === true, 10_000, 'alive again');
  }, 120_000);

  it('restarting Redis (kill -9) loses nothing that was acknowledged', async () => {
    const [a, b] = nodes as [HaulNode, HaulNode];
    const data = testBytes(2 * MiB, 11);
    files.route('/kept.bin', counted('kept', data));
    const added: Download[] = [];
    for (let i = 0; i < 6; i++) added.push(await add(nodes[i % nodes.length] as HaulNode, { url: files.url('/kept.bin'), filename: `kept-${i}.bin`, paused: true }));
    expect((await api(b, '/api/settings', 'PATCH', { maxConcurrent: 2 })).status).toBe(200);
    await redis.kill9();
    await redis.restart();
    // What Redis itself holds now, not what the nodes remember.
    const ids = redisCli(redis, 'SMEMBERS', 'haul:downloads').split('\n');
    for (const d of added) {
      expect(ids).toContain(d.id);
      expect(redisCli(redis, 'HGET', `haul:download:${d.id}`, 'status')).toBe('"paused"');
    }
    expect(redisCli(redis, 'HGET', 'haul:settings', 'maxConcurrent')).toBe('2');
    // A node started now loads them all from Redis, and they complete.
    const late = await startNode('d', redis.url, shared);
    nodes.push(late);
    const listed = ((await api(late, '/api/downloads')).json() as { downloads: Download[] }).downloads.map((d) => d.id);
    for (const d of added) expect(listed).toContain(d.id);
    for (const d of added) expect((await api(a, `/api/downloads/${d.id}/resume`, 'POST')).status).toBe(200);
    for (const d of added) {
      const done = await waitForDownload(late, d.id, (x) => x.status === 'completed', 60_000, `${d.filename} completed`);
      expect(sha256(fs.readFileSync(path.join(done.dir, done.filename)))).toBe(sha256(data));
    }
  }, 120_000);

  it('a browser pairs through any nodes (asked on one, the code shown by another, typed on a third) and is then paired on all', async () => {
    const [a, b, c] = nodes as [HaulNode, HaulNode, HaulNode];
    const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const ext = (node: HaulNode, route: string, body: unknown, token?: string) =>
      request(node.base, route, { method: 'POST', token: token ?? null, headers: { origin: EXT, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const haulWindow = new SseReader(`${b.base}api/events`, { authorization: `Bearer ${b.token}` });
    await haulWindow.until((r) => r.events.some((e) => e.event === 'snapshot'));
    const started = (await ext(a, '/api/ext/pair', { browser: 'Chromium on Linux' })).json() as { pairingId: string };
    // Node b's window shows the code of a pairing node a was asked for.
    await haulWindow.until((r) => r.events.some((e) => e.event === 'pairing' && JSON.parse(e.data).pairingId === started.pairingId));
    const code = JSON.parse(haulWindow.events.find((e) => e.event === 'pairing')?.data ?? '{}').code as string;
    haulWindow.close();
    const wrong = await ext(c, '/api/ext/pair/complete', { pairingId: started.pairingId, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatch(/2 tries left/u);
    const done = await ext(c, '/api/ext/pair/complete', { pairingId: started.pairingId, code });
    expect(done.status).toBe(200);
    const token = (done.json() as { token: string }).token;
    for (const node of [a, b, c]) await eventually(async () => (await ext(node, '/api/ext/pause-all', {}, token)).status === 200, 10_000, `paired on ${node.name}`);
    // Ended everywhere: the same code cannot pair a second time through another node.
    await eventually(async () => (await ext(a, '/api/ext/pair/complete', { pairingId: started.pairingId, code })).status === 403, 10_000, 'ended on a');
    expect((await ext(b, '/api/ext/pause-all', {}, 'not-a-token')).status).toBe(403);
  });

  it('accounts and sign-ins are shared: a user added with haul user --redis signs in on one node and is known on the others', async () => {
    const [a, b, c] = nodes as [HaulNode, HaulNode, HaulNode];
    const added = await runHaulWithInput(['user', 'add', 'ann', '--role', 'user', '--redis', redis.url], {}, 'ann-password-1\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    await eventually(async () => (await request(b.base, '/api/downloads', { token: null })).status === 401, 10_000, 'accounts on at b');
    const login = await request(a.base, '/api/login', {
      method: 'POST',
      token: null,
      body: JSON.stringify({ name: 'ann', password: 'ann-password-1' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const session = await request(b.base, '/api/session', { token: null, headers: { cookie } });
    expect(session.json()).toMatchObject({ accounts: true, user: { name: 'ann', role: 'user' } });
    // Her download is hers on every node; the machine owner's token still sees everything.
    const mine = await request(c.base, '/api/downloads', {
      method: 'POST',
      token: null,
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ url: files.url('/kept.bin'), paused: true }),
    });
    expect(mine.status).toBe(201);
    const id = (mine.json() as { downloads: Download[] }).downloads[0]?.id;
    expect(((await request(a.base, '/api/downloads', { token: null, headers: { cookie } })).json() as { downloads: Download[] }).downloads.map((d) => d.id)).toEqual([id]);
    expect((await downloadOn(b, id ?? '')).owner).toBe('ann');
    // Signed out on one node, signed out on all.
    expect((await request(c.base, '/api/logout', { method: 'POST', token: null, headers: { cookie } })).status).toBeLessThan(300);
    await eventually(async () => (await request(a.base, '/api/downloads', { token: null, headers: { cookie } })).status === 401, 10_000, 'signed out at a');
  });

  it("a user's limit of running downloads holds over all nodes together", async () => {
    const [a, b, c] = nodes as [HaulNode, HaulNode, HaulNode];
    const limited = await runHaulWithInput(['user', 'limit', 'ann', '--max-running', '1', '--redis', redis.url], {}, '');
    expect(limited.code, limited.stderr).toBe(0);
    const login = await request(b.base, '/api/login', {
      method: 'POST',
      token: null,
      body: JSON.stringify({ name: 'ann', password: 'ann-password-1' }),
      headers: { 'content-type': 'application/json' },
    });
    const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const data = testBytes(2 * MiB, 17);
    files.route('/capped.bin', counted('capped', data, MiB));
    const ids: string[] = [];
    for (const [i, node] of [a, b, c].entries()) {
      const added = await request(node.base, '/api/downloads', {
        method: 'POST',
        token: null,
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ url: files.url('/capped.bin'), filename: `capped-${i}.bin`, connections: 1 }),
      });
      expect(added.status).toBe(201);
      ids.push((added.json() as { downloads: Download[] }).downloads[0]?.id ?? '');
    }
    let most = 0;
    await eventually(
      async () => {
        const all = ((await api(a, '/api/downloads')).json() as { downloads: Download[] }).downloads.filter((d) => ids.includes(d.id));
        most = Math.max(most, all.filter((d) => d.status === 'downloading').length);
        return all.every((d) => d.status === 'completed');
      },
      60_000,
      'all three completed',
    );
    expect(most).toBe(1);
    for (const id of ids) {
      const d = await downloadOn(c, id);
      expect(sha256(fs.readFileSync(path.join(d.dir, d.filename)))).toBe(sha256(data));
    }
  }, 90_000);
});
