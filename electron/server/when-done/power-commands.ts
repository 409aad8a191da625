import type { RunProgram } from '../../engine/run-program.ts';

export type PowerAction = 'sleep' | 'shutdown';

/**
 * The commands that put this machine to sleep or shut it down, per platform, tried in order
 * (systemd's, then logind's directly). Programs are found on PATH, with arguments, never a
 * shell; nothing a user or a page sends reaches this table, only the setting an admin chose.
 */
export const POWER_COMMANDS: Readonly<Record<string, Readonly<Record<PowerAction, ReadonlyArray<readonly [string, ...string[]]>>>>> = {
  linux: {
    sleep: [
      ['systemctl', 'suspend'],
      ['loginctl', 'suspend'],
    ],
    shutdown: [
      ['systemctl', 'poweroff'],
      ['loginctl', 'poweroff'],
    ],
  },
  darwin: {
    sleep: [['pmset', 'sleepnow']],
    shutdown: [['osascript', '-e', 'tell application "System Events" to shut down']],
  },
  win32: {
    sleep: [['rundll32.exe', 'powrprof.dll,SetSuspendState', '0,1,0']],
    shutdown: [['shutdown', '/s', '/t', '0']],
  },
};

/** Runs the first of the platform's commands for `action` that works; the last failure when none does. */
export async function runPower(action: PowerAction, platform: NodeJS.Platform, run: RunProgram): Promise<string> {
  const commands = POWER_COMMANDS[platform]?.[action] ?? POWER_COMMANDS['linux']?.[action] ?? [];
  let last: unknown = new Error(`no command to ${action} on ${platform}`);
  for (const [program, ...args] of commands) {
    try {
      await run(program, args);
      return [program, ...args].join(' ');
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
