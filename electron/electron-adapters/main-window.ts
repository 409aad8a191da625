import { BrowserWindow, screen, shell } from 'electron';
import path from 'node:path';
import { isAppUrl, isExternalWebLink } from '../desktop-logic/trusted-sender.ts';
import { loadState, restoreState, saveState, type WindowState } from '../desktop-logic/window-state.ts';

/**
 * The main window, per Electron's security checklist: sandboxed, context-isolated, no Node in
 * the page, no webview; it may only show the app's own origin, and other links go to the
 * system browser. Size and position persist in `stateFile`.
 */
export function createMainWindow(opts: { appUrl: string; preload: string; stateFile: string; icon?: string }): BrowserWindow {
  const appOrigin = new URL(opts.appUrl).origin;
  const restored = restoreState(
    loadState(opts.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(restored.centre ? { width: restored.bounds.width, height: restored.bounds.height, center: true } : restored.bounds),
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Haul',
    ...(opts.icon === undefined ? {} : { icon: opts.icon }),
    webPreferences: {
      // Reviewed: the preload exposes only the typed DesktopApi; every IPC handler checks its sender.
      preload: opts.preload, // eng-disable PRELOAD_JS_CHECK
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      // Middle-click opens links in new windows; nothing in Haul needs it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (restored.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Reviewed: only http(s) links reach the system browser (isExternalWebLink).
    if (isExternalWebLink(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  const persist = (): void => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    saveState(opts.stateFile, state);
  };
  win.on('close', persist);
  void win.loadURL(opts.appUrl);
  return win;
}

export function windowStateFile(userData: string): string {
  return path.join(userData, 'window-state.json');
}
