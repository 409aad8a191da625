// The SSE benchmark's server process: real store, engine, event hub and HTTP server, with
// 1,000 downloads whose progress is simulated by emitting the engine's own `progress`
// events (no real transfers, so only the server's event path is measured). Each item's
// `received` carries its emission time so clients can measure latency.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../electron/engine/clock.ts';
import { AccountStore } from '../../electron/server/accounts/account-store.ts';
import { Accounts } from '../../electron/server/accounts/accounts.ts';
import { hashPassword } from '../../electron/server/accounts/passwords.ts';
import { startHaul } from '../../electron/app/start-haul.ts';

const downloads = Number(process.argv[2] ?? 1000);
/** With users (accounts on), the downloads are dealt out among them and each client is one of them. */
const users = Number(process.argv[3] ?? 0);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haul-sse-bench-'));
const staticDir = path.resolve(import.meta.dirname, '../../dist/renderer');
const haul = await startHaul({ dataDir: dir, downloadDir: dir, token: 'bench', publish: false, staticDir });
const urls = Array.from({ length: downloads }, (_, i) => `http://127.0.0.1:9/file-${i}.bin`);
const tokens: string[] = [];
let ids: string[];
if (users === 0) {
  ids = haul.engine.add({ urls, paused: true }).map((d) => d.id);
} else {
  const store = new AccountStore(path.join(dir, 'haul.sqlite'));
  const accounts = new Accounts(store, systemClock);
  const hash = await hashPassword('bench-password');
  ids = [];
  for (let u = 0; u < users; u++) {
    const name = `user${u}`;
    store.put(name, 'user', hash, new Date().toISOString());
    tokens.push(accounts.createToken(name, 'bench').token);
    const mine = urls.filter((_, i) => i % users === u);
    ids.push(...haul.engine.add({ urls: mine, paused: true }, { owner: name, root: path.join(dir, name) }).map((d) => d.id));
  }
}
// The simulated downloads are stored paused (nothing is fetched) but presented as running,
// so a page that connects sees 1,000 active downloads, exactly as it would in real use.
const list = haul.engine.list.bind(haul.engine);
haul.engine.list = () => list().map((d) => ({ ...d, status: 'downloading' as const, total: 1e12, completedAt: undefined, error: undefined }));

// Every 10 ms a tenth of the downloads move, so each one updates every 100 ms, continuously.
let slice = 0;
const SLICES = 10;
const timer = setInterval(() => {
  const now = Date.now();
  const items = [];
  for (let i = slice; i < ids.length; i += SLICES) items.push({ id: ids[i]!, received: now, total: 1e12, speed: 1_000_000 + i, connections: 8 });
  slice = (slice + 1) % SLICES;
  haul.engine.emit('progress', items);
}, 10);

process.stdout.write(`${JSON.stringify({ url: haul.url, tokens })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  const command = line.trim();
  if (command === 'stats') {
    // Collected first, so the heap figure is what is really held, not garbage not yet swept.
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMicros: cpu.user + cpu.system, rss: m.rss, heapUsed: m.heapUsed, clients: haul.hub.clientCount, at: Date.now() })}\n`);
  } else if (command === 'exit') {
    clearInterval(timer);
    void haul.close().then(() => process.exit(0));
  }
});
