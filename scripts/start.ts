// `npm start`: the desktop app when Electron's runtime is here or can be fetched; otherwise
// one line saying so, then the same engine, server and interface in browser mode
// (`haul serve`), which prints the address to open.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../electron/app/paths.ts';
import { processAlive, readServerInfo } from '../electron/server/server-info.ts';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const mainBundle = path.join(root, 'dist', 'electron', 'main.js');

function electronBinary(): string | undefined {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : undefined;
}

function obtainElectron(): { binary?: string; reason: string } {
  const present = electronBinary();
  if (present !== undefined) return { binary: present, reason: '' };
  // Electron fetches its runtime on first use; offline this fails at once.
  const fetch = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 120_000 });
  const fetched = electronBinary();
  if (fetched !== undefined) return { binary: fetched, reason: '' };
  const detail = `${fetch.stderr ?? ''}${fetch.stdout ?? ''}`.trim().split('\n').at(-1) ?? 'unknown error';
  return { reason: detail || 'download failed' };
}

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
}

const { binary, reason } = obtainElectron();
// One Haul per data folder: when one already runs there (browser mode, or `haul serve`), open
// that one instead of starting a second that would refuse to run.
const running = readServerInfo(defaultDataDir());
if (binary === undefined && running !== undefined && processAlive(running.pid)) {
  process.stdout.write(`Haul is already running (pid ${running.pid}). Open ${running.url}#token=${running.token}\n`);
  process.exit(0);
}
if (binary !== undefined && fs.existsSync(mainBundle)) {
  run(binary, [mainBundle, ...process.argv.slice(2)]);
} else {
  const why = binary === undefined ? `Electron's runtime could not be obtained (${reason})` : 'the desktop shell is not built';
  process.stdout.write(`${why}; running Haul in browser mode instead.\n`);
  // The page names "npm start" if opened without its token; --open shows it in the browser.
  process.env['HAUL_LAUNCH_COMMAND'] = 'npm start';
  run(process.execPath, [path.join(root, 'bin', 'haul.js'), 'serve', '--open', ...process.argv.slice(2)]);
}
