import { shell } from 'electron';
import { FileError } from '../engine/errors.ts';
import type { Opener } from '../server/opener.ts';

/** In the desktop app, files open through Electron's shell (the platform's own file associations). */
export const shellOpener: Opener = {
  open: async (file) => {
    const failure = await shell.openPath(file);
    if (failure !== '') throw new FileError('FILE_ERROR', `The system could not open ${file}: ${failure}`);
  },
  reveal: async (file) => shell.showItemInFolder(file),
};
