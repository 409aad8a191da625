import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach } from 'vitest';
import { tempDir } from './temp-dir.ts';
import { waitUntil } from './wait.ts';

/** A real proxy server from Debian's packages, started for one test on a loopback port. */
export interface RunningProxy {
  port: number;
  /** Connections the proxy accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

const running: RunningProxy[] = [];
afterEach(async () => {
  for (const proxy of running.splice(0)) await proxy.stop();
});

/** squid, allowing CONNECT to any port from loopback (the default config allows only 443). */
export function startSquid(): Promise<RunningProxy> {
  return start('squid', (dir, port) => {
    const conf = path.join(dir, 'squid.conf');
    fs.writeFileSync(
      conf,
      [
        `http_port 127.0.0.1:${port}`,
        'acl loopback src 127.0.0.1/32',
        'http_access allow loopback',
        'http_access deny all',
        'cache deny all',
        `pid_filename ${dir}/squid.pid`,
        `cache_log ${dir}/cache.log`,
        'access_log none',
        `coredump_dir ${dir}`,
        'shutdown_lifetime 0 seconds',
        'dns_v4_first on',
      ].join('\n'),
    );
    return ['squid', ['-N', '-f', conf]];
  });
}

/** tinyproxy, optionally asking for Basic credentials (407 without them). */
export function startTinyproxy(auth?: { user: string; password: string }): Promise<RunningProxy> {
  return start('tinyproxy', (dir, port) => {
    const conf = path.join(dir, 'tinyproxy.conf');
    const lines = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'Allow 127.0.0.1', 'LogLevel Critical', 'MaxClients 50', 'User nobody', 'Group nogroup', 'DisableViaHeader Yes', 'ConnectPort 0'];
    if (auth !== undefined) lines.push(`BasicAuth ${auth.user} ${auth.password}`);
    fs.writeFileSync(conf, lines.join('\n'));
    return ['tinyproxy', ['-d', '-c', conf]];
  });
}

/** microsocks, a SOCKS5 server, optionally with a user and password. */
export function startMicrosocks(auth?: { user: string; password: string }): Promise<RunningProxy> {
  return start('microsocks', (_dir, port) => ['microsocks', ['-i', '127.0.0.1', '-p', String(port), ...(auth === undefined ? [] : ['-u', auth.user, '-P', auth.password])]]);
}

/**
 * Starts `command` on a free port behind a counting TCP relay, so a test can tell whether the
 * proxy was used at all; waits until the proxy accepts connections.
 */
async function start(name: string, configure: (dir: string, port: number) => [string, string[]]): Promise<RunningProxy> {
  const dir = tempDir(`haul-${name}-`);
  fs.chmodSync(dir, 0o777);
  const inner = await freePort();
  const [command, args] = configure(dir, inner);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntil(() => child.exitCode === null && canConnectSync(inner), 15_000, `${name} listening (${stderr.slice(-300)})`).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  let connections = 0;
  const relay = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(inner, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const proxy: RunningProxy = {
    port: (relay.address() as net.AddressInfo).port,
    connections: () => connections,
    stop: async () => {
      relay.close();
      child.kill('SIGKILL');
      await exited;
    },
  };
  running.push(proxy);
  return proxy;
}

const reachable = new Set<number>();
/** Whether a TCP connection to `port` succeeded since the last check (probed in the background). */
function canConnectSync(port: number): boolean {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => {
    reachable.add(port);
    socket.destroy();
  });
  socket.once('error', () => socket.destroy());
  return reachable.has(port);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on `port` (127.0.0.1), or rejects after 10 s. */
export function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const attempt = (): void => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => (Date.now() - started > timeoutMs ? reject(new Error(`nothing listens on ${port}`)) : setTimeout(attempt, 25)));
    };
    attempt();
  });
}
