import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogKind } from '../../../shared/views.ts';
import type { DownloadRecord } from '../records/record.ts';
import { runProgram, type RunProgram } from '../run-program.ts';

/** Where a finished file came from, as a browser records it. */
export interface Origin {
  url: string;
  referrer?: string | undefined;
}

/** How marking went: the OS's mark on the file, or why there is none (said in the download's log). */
export type MarkOutcome = { kind: 'marked'; how: string } | { kind: 'unmarked'; why: string };

/**
 * Marks a finished file with where it came from, as browsers do, so the OS can say so and warn
 * before running a downloaded program: on Linux the `user.xdg.origin.url` and
 * `user.xdg.referrer.url` attributes (with `setfattr`, else Python's os.setxattr: Node has no
 * call for them), on macOS the quarantine attribute, on Windows the Zone.Identifier stream (the
 * Mark of the Web). Credentials in a URL are never written. Best effort: a file system without
 * attributes, or no program to set them, leaves the file unmarked and says why.
 */
export async function markOrigin(file: string, origin: Origin, platform: NodeJS.Platform = process.platform, run: RunProgram = runProgram, now = Date.now()): Promise<MarkOutcome> {
  const url = withoutCredentials(origin.url);
  const referrer = origin.referrer === undefined ? undefined : withoutCredentials(origin.referrer);
  try {
    switch (platform) {
      case 'win32': {
        const lines = ['[ZoneTransfer]', 'ZoneId=3', ...(referrer === undefined ? [] : [`ReferrerUrl=${referrer}`]), `HostUrl=${url}`];
        await fs.writeFile(`${file}:Zone.Identifier`, `${lines.join('\r\n')}\r\n`);
        return { kind: 'marked', how: 'Zone.Identifier' };
      }
      case 'darwin':
        // 0081: downloaded, the user has not opened it yet; then the time (hex seconds) and the agent.
        await run('xattr', ['-w', 'com.apple.quarantine', `0081;${Math.floor(now / 1000).toString(16)};Haul;`, file]);
        return { kind: 'marked', how: 'com.apple.quarantine' };
      default:
        return await markXdg(file, url, referrer, run);
    }
  } catch (error) {
    return { kind: 'unmarked', why: (error as Error).message.split('\n')[0] ?? String(error) };
  }
}

async function markXdg(file: string, url: string, referrer: string | undefined, run: RunProgram): Promise<MarkOutcome> {
  const attributes: Array<[string, string]> = [['user.xdg.origin.url', url], ...(referrer === undefined ? [] : [['user.xdg.referrer.url', referrer] as [string, string]])];
  try {
    for (const [name, value] of attributes) await run('setfattr', ['-n', name, '-v', value, '--', file]);
    return { kind: 'marked', how: 'setfattr' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // No setfattr (the attr package is not on every desktop): Python's os.setxattr, the values as arguments.
  const script = 'import os,sys\nfor i in range(2,len(sys.argv),2): os.setxattr(sys.argv[1],sys.argv[i],sys.argv[i+1].encode())';
  try {
    await run('python3', ['-c', script, file, ...attributes.flat()]);
    return { kind: 'marked', how: 'python3' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'unmarked', why: 'neither setfattr (the attr package) nor python3 is installed' };
    throw error;
  }
}

function withoutCredentials(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  url.username = '';
  url.password = '';
  return url.href;
}

/** Marks a download's file (the finished one, or its part file before it moves: the mark goes with it) and says how it went in its log. */
export async function markFinished(rec: Readonly<DownloadRecord>, note: (kind: LogKind, detail?: string) => void, file = path.join(rec.dir, rec.filename)): Promise<void> {
  const referrer = Object.entries(rec.headers).find(([name]) => name.toLowerCase() === 'referer')?.[1];
  const outcome = await markOrigin(file, { url: rec.finalUrl ?? rec.url, referrer });
  if (outcome.kind === 'marked') note('origin-marked', outcome.how);
  else note('origin-unmarked', outcome.why);
}
