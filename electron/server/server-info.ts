import fs from 'node:fs';
import path from 'node:path';

/** What a running Haul publishes in `<data-dir>/server.json` so `haul add` can find it. */
export interface ServerInfo {
  url: string;
  port: number;
  token: string;
  pid: number;
}

export function serverInfoPath(dataDir: string): string {
  return path.join(dataDir, 'server.json');
}

/** Writes server.json with mode 0600 (it holds the token), atomically. */
export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const target = serverInfoPath(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, target);
}

/** Removes server.json if it is ours. */
export function removeServerInfo(dataDir: string, pid = process.pid): void {
  const info = readServerInfo(dataDir);
  if (info?.pid === pid) fs.rmSync(serverInfoPath(dataDir), { force: true });
}

export function readServerInfo(dataDir: string): ServerInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(serverInfoPath(dataDir), 'utf8')) as Partial<ServerInfo>;
    if (typeof info.url !== 'string' || typeof info.token !== 'string' || typeof info.port !== 'number' || typeof info.pid !== 'number') return undefined;
    return info as ServerInfo;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (a server.json left by a crash names a dead one). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
