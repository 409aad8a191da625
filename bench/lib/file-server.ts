import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { which } from './measure.ts';

export interface BenchServer {
  kind: 'nginx' | 'node' | 'apache' | 'caddy';
  baseUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/**
 * Serves `root` over loopback: nginx when installed (the realistic peer), else a Node static
 * server in its own process (or always, with `server: 'node'`). `perConnectionRate` (bytes/s)
 * throttles: nginx's limit_rate per request, the Node server strictly per TCP connection
 * (with `slowEvery`, every Nth connection at a sixteenth of that: stragglers).
 */
export async function startFileServer(
  root: string,
  workDir: string,
  opts: { perConnectionRate?: number; server?: 'nginx' | 'node'; slowEvery?: number; stall?: boolean; tls?: { certFile: string; keyFile: string } } = {},
): Promise<BenchServer> {
  const nginx = opts.server === 'node' ? undefined : which('nginx');
  if ((opts.server === 'nginx' || opts.tls !== undefined) && nginx === undefined) throw new Error('this benchmark needs nginx (apt-get install nginx-light)');
  if (nginx !== undefined) {
    const port = await freePort();
    fs.mkdirSync(path.join(workDir, 'nginx', 'logs'), { recursive: true });
    const limit = opts.perConnectionRate === undefined ? '' : `limit_rate ${opts.perConnectionRate};`;
    const listen = opts.tls === undefined ? `listen 127.0.0.1:${port};` : `listen 127.0.0.1:${port} ssl; ssl_certificate ${opts.tls.certFile}; ssl_certificate_key ${opts.tls.keyFile};`;
    const conf = path.join(workDir, 'nginx', 'nginx.conf');
    fs.writeFileSync(
      conf,
      `daemon off; worker_processes 1; pid ${workDir}/nginx/nginx.pid; error_log ${workDir}/nginx/logs/error.log warn;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path ${workDir}/nginx/tmp; proxy_temp_path ${workDir}/nginx/tmp; fastcgi_temp_path ${workDir}/nginx/tmp; uwsgi_temp_path ${workDir}/nginx/tmp; scgi_temp_path ${workDir}/nginx/tmp;
  server { ${listen} root ${root}; ${limit} } }
`,
    );
    const child = spawn(nginx, ['-c', conf, '-p', path.join(workDir, 'nginx')], { stdio: 'ignore' });
    await waitForPort(port);
    return { kind: 'nginx', baseUrl: `${opts.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`, stop: () => stopChild(child) };
  }
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'static-server.ts'), root, String(opts.perConnectionRate ?? 0), String(opts.slowEvery ?? 0), opts.stall === true ? 'stall' : 'slow'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { kind: 'node', baseUrl: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** Stops a child process with SIGTERM; resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  });
}
