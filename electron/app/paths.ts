import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Where Haul keeps its state: HAUL_DATA_DIR, else the platform's app-data folder
 * ($XDG_CONFIG_HOME/haul on Linux). The desktop app passes Electron's userData instead.
 */
export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env['HAUL_DATA_DIR']) return path.resolve(env['HAUL_DATA_DIR']);
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Haul');
    case 'win32':
      return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Haul');
    default:
      return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'haul');
  }
}

/** Where downloads go by default: HAUL_DOWNLOAD_DIR, else the user's Downloads folder. */
export function defaultDownloadDir(env: Env = process.env, home = os.homedir()): string {
  if (env['HAUL_DOWNLOAD_DIR']) return path.resolve(env['HAUL_DOWNLOAD_DIR']);
  if (env['XDG_DOWNLOAD_DIR']) return path.resolve(env['XDG_DOWNLOAD_DIR']);
  return path.join(home, 'Downloads');
}
