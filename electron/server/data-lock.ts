import fs from 'node:fs';
import path from 'node:path';
import { HaulError } from '../engine/errors.ts';
import { processAlive, readServerInfo } from './server-info.ts';

/**
 * Claims a data folder for this process: one Haul per folder, since two engines on one store
 * and one set of part files would write the same files. The claim is a `haul.lock` file
 * created exclusively with this pid (and its start time, where the OS tells it); one left by
 * a process that died, or whose pid now belongs to another process, is taken over. A folder
 * held by a live Haul is an error that says where that one listens.
 */
export function lockDataDir(dataDir: string, pid = process.pid): { release(): void } {
  const file = path.join(dataDir, 'haul.lock');
  const key = path.resolve(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      if (heldHere.has(key)) throw Object.assign(new Error('held by this process'), { code: 'EEXIST' });
      fs.writeFileSync(file, `${pid} ${startTimeOf(pid) ?? ''}\n`, { flag: 'wx', mode: 0o600 });
      heldHere.add(key);
      return {
        release: () => {
          heldHere.delete(key);
          releaseIfOurs(file, pid);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [pidText = '', started] = fs.readFileSync(file, 'utf8').trim().split(/\s+/u);
    const holder = heldHere.has(key) ? pid : Number(pidText);
    const heldElsewhere = Number.isInteger(holder) && holder > 0 && holder !== pid && processAlive(holder) && sameProcess(holder, started);
    if (heldHere.has(key) || heldElsewhere) {
      const info = readServerInfo(dataDir);
      const where = info?.pid === holder ? `, listening on ${info.url}` : '';
      throw new HaulError('INVALID_STATE', `Another Haul (pid ${holder}) is already using the data folder ${dataDir}${where}. Open that one, or start this one with another --data-dir.`);
    }
    // Left by a Haul that is gone (killed, or a crash): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new HaulError('INVALID_STATE', `Haul could not claim the data folder ${dataDir}: another process keeps taking ${file}.`);
}

/**
 * When process `pid` started, where the OS says (Linux: /proc/PID/stat, in clock ticks since
 * boot), so a pid the OS handed to another process after a Haul died is not mistaken for it.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the live process `pid` is the one that wrote the lock (unknowable without start times: assume it is). */
function sameProcess(pid: number, recordedStart: string | undefined): boolean {
  const now = startTimeOf(pid);
  return recordedStart === undefined || recordedStart === '' || now === undefined || now === recordedStart;
}

/** Folders this process holds (a pid alone cannot tell two Hauls in one process apart). */
const heldHere = new Set<string>();

function releaseIfOurs(file: string, pid: number): void {
  try {
    if (Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/u)[0]) === pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}
