// qBittorrent (Debian's qbittorrent-nox, libtorrent underneath) as a peer of the loopback swarm:
// a second BitTorrent implementation no one here wrote, driven through its Web API.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitForPort } from './proxies.ts';
import { inSwarm } from './swarm.ts';
import { tempDir } from './temp-dir.ts';
import { eventually } from './wait.ts';

export const QBITTORRENT = '/usr/bin/qbittorrent-nox';

export interface QbitTorrent {
  state: string;
  progress: number;
  name: string;
}

export interface Qbittorrent {
  /** Its BitTorrent port. */
  port: number;
  /** Adds `torrent` with its files in `dir`: checked first, so files already there are seeded. */
  add(torrent: string, dir: string): Promise<void>;
  /** Each torrent it has, as its Web API says. */
  torrents(): Promise<QbitTorrent[]>;
  /** The last lines of its log, for a failure's message. */
  logTail(): string;
}

/** A qbittorrent-nox of its own (profile in a temporary folder), on loopback ports, with DHT, PeX, LSD and UPnP off. */
export async function startQbittorrent(): Promise<Qbittorrent> {
  const [port, web] = [await freePort(), await freePort()];
  const profile = tempDir('haul-qbittorrent-');
  const config = path.join(profile, 'qBittorrent', 'config');
  fs.mkdirSync(config, { recursive: true });
  fs.writeFileSync(
    path.join(config, 'qBittorrent.conf'),
    [
      '[LegalNotice]',
      'Accepted=true',
      '[BitTorrent]',
      `Session\\Port=${port}`,
      'Session\\DHTEnabled=false',
      'Session\\LSDEnabled=false',
      'Session\\PeXEnabled=false',
      '[Preferences]',
      `WebUI\\Port=${web}`,
      'WebUI\\LocalHostAuth=false',
      'WebUI\\HostHeaderValidation=false',
      'WebUI\\CSRFProtection=false',
      '',
    ].join('\n'),
  );
  inSwarm(spawn(QBITTORRENT, [`--profile=${profile}`, `--webui-port=${web}`], { stdio: 'ignore' }));
  await waitForPort(web, 15_000);
  const api = (route: string, body?: FormData | URLSearchParams): Promise<Response> =>
    fetch(`http://127.0.0.1:${web}/api/v2/${route}`, body === undefined ? {} : { method: 'POST', body }).then((r) => {
      if (!r.ok) throw new Error(`qBittorrent answered ${r.status} to ${route}`);
      return r;
    });
  // Every peer of a loopback swarm has the same address; libtorrent takes one connection per address unless told otherwise.
  await api('app/setPreferences', new URLSearchParams({ json: JSON.stringify({ enable_multi_connections_from_same_ip: true, upnp: false, dht: false, pex: false, lsd: false }) }));
  const log = path.join(profile, 'qBittorrent', 'data', 'logs', 'qbittorrent.log');
  const torrents = async (): Promise<QbitTorrent[]> => (await (await api('torrents/info')).json()) as QbitTorrent[];
  return {
    port,
    torrents,
    async add(torrent, dir) {
      const form = new FormData();
      form.append('torrents', new Blob([fs.readFileSync(torrent)]), path.basename(torrent));
      form.append('savepath', dir);
      const before = (await torrents()).length;
      await api('torrents/add', form);
      await eventually(async () => (await torrents()).length > before, 10_000, 'qBittorrent taking the torrent');
    },
    logTail() {
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
    },
  };
}
