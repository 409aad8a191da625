import { spawn } from 'node:child_process';
import path from 'node:path';
import { FileError, HaulError } from '../engine/errors.ts';

/** Opens a file with its default program, or shows it in the file manager, on the machine Haul runs on. */
export interface Opener {
  open(file: string): Promise<void>;
  reveal(file: string): Promise<void>;
}

/**
 * The operating system's own commands: `xdg-open` (Linux and the BSDs; the file manager opens
 * the folder, as no standard command selects a file), `open` and `open -R` (macOS),
 * `explorer` (Windows). The command is started and left to run; only a missing one is an error.
 */
export function systemOpener(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Opener {
  const commands = (file: string, reveal: boolean): [string, string[]] => {
    if (platform === 'darwin') return ['open', reveal ? ['-R', file] : [file]];
    if (platform === 'win32') return ['explorer.exe', [reveal ? `/select,${file}` : file]];
    return ['xdg-open', [reveal ? path.dirname(file) : file]];
  };
  const run = (file: string, reveal: boolean): Promise<void> => {
    // Without a display, xdg-open would start and show nothing: say so instead.
    if (!hasDesktopSession(env, platform)) {
      return Promise.reject(new HaulError('NO_DESKTOP', 'The machine Haul runs on has no desktop session (no display), so nothing there can open or show the file. Save it to this device instead.'));
    }
    const [command, args] = commands(file, reveal);
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
      child.once('error', (cause) =>
        reject(
          new FileError(
            'FILE_ERROR',
            `Haul could not start "${command}" to open files on this machine (${cause.message}). Install it (on Linux: the xdg-utils package), or download the file to this device instead.`,
            { cause },
          ),
        ),
      );
    });
  };
  return { open: (file) => run(file, false), reveal: (file) => run(file, true) };
}

/** A desktop session to show things in: always on macOS and Windows; on Linux, an X or Wayland display. */
export function hasDesktopSession(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32' || Boolean(env['DISPLAY']) || Boolean(env['WAYLAND_DISPLAY']);
}
