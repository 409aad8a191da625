import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { DESKTOP_CHANNELS } from '../../shared/desktop-api.ts';
import { riskyOpenPrompt } from '../desktop-logic/risky-open.ts';
import { isTrustedSender } from '../desktop-logic/trusted-sender.ts';

/** The preload's calls, each checking that it comes from the app's own window and origin. */
export function registerIpc(opts: {
  window: () => BrowserWindow | undefined;
  appOrigin: string;
  version: string;
  connection: { url: string; token: string };
  downloadRoots: () => string[];
  /** The user picked this folder in the native dialog: downloads may go there. */
  approveFolder: (dir: string) => void;
}): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = opts.window();
    return isTrustedSender(
      { frameUrl: event.senderFrame?.url, isMainFrame: event.senderFrame === event.sender.mainFrame, webContentsId: event.sender.id },
      { origin: opts.appOrigin, webContentsIds: new Set(win === undefined ? [] : [win.webContents.id]) },
    );
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (event: IpcMainInvokeEvent, ...args: A): R => {
      if (!trusted(event)) throw new Error('This call is only available to Haul’s own window.');
      return fn(...args);
    };
  // Opening files is limited to files inside the download folders the app knows about.
  const insideDownloads = (file: unknown): string => {
    if (typeof file !== 'string') throw new Error('A file path is required.');
    const resolved = path.resolve(file);
    if (!opts.downloadRoots().some((root) => resolved.startsWith(`${path.resolve(root)}${path.sep}`))) throw new Error('Haul only opens files it downloaded.');
    return resolved;
  };
  ipcMain.handle(
    DESKTOP_CHANNELS.version,
    guard(() => opts.version),
  );
  ipcMain.handle(
    DESKTOP_CHANNELS.connection,
    guard(() => opts.connection),
  );
  ipcMain.handle(
    DESKTOP_CHANNELS.pickFolder,
    guard(async () => {
      const win = opts.window();
      const options = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
      const result = win === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(win, options);
      const picked = result.canceled ? undefined : result.filePaths[0];
      if (picked === undefined) return null;
      opts.approveFolder(picked);
      return picked;
    }),
  );
  ipcMain.handle(
    DESKTOP_CHANNELS.openFile,
    guard(async (file: unknown) => {
      const target = insideDownloads(file);
      // A program, installer or script runs when opened: ask first, Cancel by default.
      const prompt = riskyOpenPrompt(target);
      if (prompt !== undefined) {
        const win = opts.window();
        const answer = win === undefined ? await dialog.showMessageBox({ type: 'warning', ...prompt }) : await dialog.showMessageBox(win, { type: 'warning', ...prompt });
        if (answer.response !== 0) return;
      }
      const message = await shell.openPath(target);
      if (message !== '') throw new Error(message);
    }),
  );
  ipcMain.handle(
    DESKTOP_CHANNELS.showInFolder,
    guard((file: unknown) => shell.showItemInFolder(insideDownloads(file))),
  );
}
