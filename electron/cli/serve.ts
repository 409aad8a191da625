import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, defaultDownloadDir } from '../app/paths.ts';
import { hasDesktopSession, systemOpener } from '../server/opener.ts';
import { NODE_NAME } from '../server/cluster/nodes.ts';
import { describeRedis, parseRedisUrl } from '../server/cluster/redis-url.ts';
import type { ClusterConfig } from '../app/haul-state.ts';
import { TrustedProxies } from '../server/accounts/client-address.ts';
import { hostPort } from '../server/guards.ts';
import { DEFAULT_PORT, PORT_TRIES } from '../../shared/ports.ts';
import { startHaul } from '../app/start-haul.ts';
import { EXIT, UsageError } from './cli-error.ts';

/** Where the built interface lives in a clone. */
export const RENDERER_DIST = path.resolve(import.meta.dirname, '../../dist/renderer');

export async function runServe(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'download-dir': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      open: { type: 'boolean' },
      'public-url': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      redis: { type: 'string' },
      'node-name': { type: 'string' },
      'lease-ms': { type: 'string' },
      'trust-proxy': { type: 'string', multiple: true },
      'rpc-port': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`takes no arguments, only options (got "${positionals[0]}").`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number from 0 to 65535, not "${values.port}".`);
  const rpcPort = values['rpc-port'] === undefined ? undefined : Number(values['rpc-port']);
  if (rpcPort !== undefined && (!Number.isInteger(rpcPort) || rpcPort < 0 || rpcPort > 65535)) throw new UsageError(`--rpc-port must be a port number from 0 to 65535, not "${values['rpc-port']}".`);
  const publicUrl = values['public-url'] === undefined ? undefined : parsePublicUrl(values['public-url']);
  const tls = readTls(values['tls-cert'], values['tls-key']);
  const cluster = readCluster(values.redis, values['node-name'], values['lease-ms']);
  const trustProxy = readTrustedProxies(values['trust-proxy'] ?? []);
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const downloadDir = path.resolve(values['download-dir'] ?? defaultDownloadDir(io.env));
  // A closed pipe or a full disk behind stdout/stderr must not stop a running server.
  io.stdout.on('error', () => undefined);
  io.stderr.on('error', () => undefined);
  // Settings' whenDone "quit" stops the server as SIGTERM would.
  const quitting = Promise.withResolvers<void>();
  const haul = await startHaul({
    quit: () => quitting.resolve(),
    dataDir,
    downloadDir,
    host: values.host ?? '127.0.0.1',
    ...(port === undefined ? { preferPort: DEFAULT_PORT } : { port }),
    allowHosts: values['allow-host'] ?? [],
    ...(io.env['HAUL_TOKEN'] ? { token: io.env['HAUL_TOKEN'] } : {}),
    staticDir: RENDERER_DIST,
    launchCommand: io.env['HAUL_LAUNCH_COMMAND'] || 'haul serve',
    publicUrl,
    tls,
    cluster,
    trustProxy,
    rpcPort,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    io.stderr.write(
      port === undefined
        ? `haul serve: ports ${DEFAULT_PORT} to ${DEFAULT_PORT + PORT_TRIES - 1} on ${values.host ?? '127.0.0.1'} are all in use. Choose one with --port, or --port 0 for any free one.\n`
        : `haul serve: port ${port} on ${values.host ?? '127.0.0.1'} is already in use by another program. Choose another with --port, or --port 0 for any free one.\n`,
    );
    return undefined;
  });
  if (haul === undefined) return EXIT.failed;
  // Listen for the stop signals before saying where Haul is: a SIGTERM right after is a clean stop too.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (haul.movedFrom !== undefined) io.stderr.write(`Port ${haul.movedFrom} is in use; Haul listens on ${haul.port} instead.\n`);
  io.stdout.write(`Haul listening on ${haul.url}${cluster === undefined ? '' : ` as node ${cluster.node} of the Haul on ${describeRedis(cluster.redis)}`}\n`);
  const shown = publicUrl?.href ?? haul.url;
  io.stdout.write(`Open ${shown}#token=${haul.token}\n`);
  const host = values.host ?? '127.0.0.1';
  if (haul.server.rpc.port !== undefined) io.stdout.write(`aria2 JSON-RPC on http${tls === undefined ? '' : 's'}://${hostPort(host, haul.server.rpc.port)}/jsonrpc (secret: the token)\n`);
  if (!isLoopback(host)) io.stdout.write(`${exposure(host, haul.server.urls, tls !== undefined, haul.accountsOn())}\n`);
  if (values.open === true) await openBrowser(`${shown}#token=${haul.token}`, io);
  await Promise.race([stopped, quitting.promise]);
  await haul.close();
  return EXIT.ok;
}

/** `--public-url`: an absolute http(s) URL without credentials, query or fragment; its path ends in `/`. */
function parsePublicUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--public-url must be an absolute address such as https://nas.example/haul, not "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--public-url must be an http:// or https:// address, not "${url.protocol}".`);
  if (url.username !== '' || url.search !== '' || url.hash !== '') throw new UsageError('--public-url takes no user name, query or fragment: only the scheme, host and path people open.');
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/** `--redis URL [--node-name NAME] [--lease-ms MS]`: the other two only with --redis. */
function readCluster(url: string | undefined, nodeName: string | undefined, leaseMs: string | undefined): ClusterConfig | undefined {
  if (url === undefined) {
    if (nodeName !== undefined) throw new UsageError('--node-name names this node among others sharing Redis: it goes with --redis URL.');
    if (leaseMs !== undefined) throw new UsageError('--lease-ms is how long a node sharing Redis keeps a download it stopped answering for: it goes with --redis URL.');
    return undefined;
  }
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new UsageError(`--redis: ${parsed.message}`);
  const node =
    nodeName ??
    os
      .hostname()
      .replace(/[^A-Za-z0-9._-]/gu, '-')
      .replace(/^[^A-Za-z0-9]+/u, '')
      .slice(0, 63);
  if (!NODE_NAME.test(node)) throw new UsageError(`--node-name must be 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit, not "${node.slice(0, 100)}".`);
  const lease = leaseMs === undefined ? undefined : Number(leaseMs);
  if (lease !== undefined && (!Number.isInteger(lease) || lease < 1_000 || lease > 600_000))
    throw new UsageError(`--lease-ms must be a whole number of milliseconds from 1000 to 600000, not "${leaseMs}".`);
  return { redis: parsed.address, node, ...(lease === undefined ? {} : { leaseMs: lease }) };
}

/** `--tls-cert FILE --tls-key FILE`: both or neither, each a readable PEM file. */
function readTls(certFile: string | undefined, keyFile: string | undefined): { cert: string; key: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new UsageError('--tls-cert and --tls-key go together: give the certificate and its private key (PEM files).');
  const read = (file: string, flag: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
  };
  return { cert: read(certFile, '--tls-cert'), key: read(keyFile, '--tls-key') };
}

async function openBrowser(url: string, io: { stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): Promise<void> {
  if (!hasDesktopSession(io.env)) {
    io.stderr.write('No desktop session here to open a browser in: open the address above on a machine with one.\n');
    return;
  }
  await systemOpener()
    .open(url)
    .catch((error: unknown) => io.stderr.write(`Could not open a browser (${error instanceof Error ? error.message : String(error)}); open the address above yourself.\n`));
}

/** `--trust-proxy` values (each may list several, comma-separated); a value that is not an address or range is a usage error naming it. */
function readTrustedProxies(values: readonly string[]): TrustedProxies | undefined {
  const entries = values.flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (entries.length === 0) return undefined;
  try {
    return new TrustedProxies(entries);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/u.test(host);
}

/** One line for a server bound beyond loopback: that the network reaches it, how safely, and the addresses that work. */
function exposure(host: string, urls: readonly string[], tls: boolean, accounts: boolean): string {
  const network = urls.filter((u) => !/\/\/(127\.|\[::1\]|localhost)/u.test(u));
  const how = [
    tls ? 'over HTTPS' : 'over plain HTTP (anyone on the network can read its traffic, the token included; add --tls-cert/--tls-key or a TLS proxy)',
    accounts ? 'accounts on (sign-in required)' : 'accounts off (the token alone gives full control; add users with "haul user add")',
  ].join(', ');
  return `The API is reachable from the network (bound to ${host}), ${how}. Addresses: ${(network.length > 0 ? network : urls).join(' ')}`;
}
