import path from 'node:path';
import { isRiskyFilename } from '../../shared/risky-files.ts';

/** The question the desktop app asks before opening a file that can run code, or undefined for any other file. */
export function riskyOpenPrompt(file: string): { message: string; detail: string; buttons: [string, string]; defaultId: 1; cancelId: 1 } | undefined {
  const name = path.basename(file);
  if (!isRiskyFilename(name)) return undefined;
  return {
    message: `Open ${name}?`,
    detail: `${name} can run a program on this computer. Open it only if you trust where it came from.`,
    buttons: ['Open', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
}
