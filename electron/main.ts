// The desktop app's main process: wiring only. The engine, server and every decision with
// logic in it live in host-neutral modules tested under plain Node.
import { app, clipboard, Menu, Notification, powerMonitor, powerSaveBlocker, session, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import { appMenu, trayMenu, type MenuAction } from './desktop-logic/menu-model.ts';
import { linksToOffer } from './desktop-logic/clipboard-offer.ts';
import { launchLinks } from './desktop-logic/launch-args.ts';
import { StayAwake } from './desktop-logic/stay-awake.ts';
import { pauseAll, resumeAll } from './engine/queue/bulk-actions.ts';
import { defaultDataDir } from './app/paths.ts';
import { DEFAULT_PORT } from '../shared/ports.ts';
import { startHaul, type RunningHaul } from './app/start-haul.ts';
import { CONTENT_SECURITY_POLICY } from './server/static-files.ts';
import { registerIpc } from './electron-adapters/ipc-handlers.ts';
import { createMainWindow, windowStateFile } from './electron-adapters/main-window.ts';
import { buildMenu } from './electron-adapters/menus.ts';
import { shellOpener } from './electron-adapters/shell-opener.ts';
import { attachStatusSurfaces } from './electron-adapters/status-surfaces.ts';

const here = import.meta.dirname;
const resources = app.isPackaged ? process.resourcesPath : path.resolve(here, '..', '..', 'build');
const icon = path.join(resources, 'icons', '32x32.png');

// One data folder for the app and the CLI, so `haul add` finds the running desktop app.
app.setPath('userData', defaultDataDir());

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  let window: BrowserWindow | undefined;
  let haul: RunningHaul | undefined;
  let clipboardWatching = false;
  let closing = false;
  const pending: string[] = [];
  const addUrls = (argv: readonly string[]): void => {
    const { urls, ignored } = launchLinks(argv);
    if (ignored.length > 0 && app.isReady()) new Notification({ title: 'Haul', body: `Ignored a link Haul cannot read: ${ignored[0]}` }).show();
    if (urls.length === 0) return;
    if (haul === undefined) pending.push(...urls);
    else haul.engine.add({ urls });
  };
  const show = (): void => {
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', (_event, argv) => {
    addUrls(argv);
    show();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    addUrls([url]);
  });
  // Reviewed: haul:// links only ever yield validated http(s) URLs to add (urlsFromDeepLink).
  app.setAsDefaultProtocolClient('haul'); // eng-disable PROTOCOL_HANDLER_JS_CHECK

  await app.whenReady();
  addUrls(process.argv);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  haul = await startHaul({
    dataDir: app.getPath('userData'),
    downloadDir: app.getPath('downloads'),
    staticDir: path.resolve(here, '..', 'renderer'),
    preferPort: DEFAULT_PORT,
    opener: shellOpener,
    showHaul: async () => show(),
    quit: () => app.quit(),
  });
  const running = haul;
  const appOrigin = new URL(running.url).origin;
  // The server already sends this policy; the session enforces it too, for every response.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (new URL(details.url).origin === appOrigin) headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  registerIpc({
    window: () => window,
    appOrigin,
    version: app.getVersion(),
    connection: { url: running.url, token: running.token },
    downloadRoots: () => [running.engine.settings.downloadDir, ...running.engine.list().map((d) => d.dir)],
    approveFolder: (dir) => running.engine.approveFolder(dir),
  });
  addUrls(pending.splice(0));

  const run = (action: MenuAction): void => {
    switch (action) {
      case 'show':
        show();
        break;
      case 'pauseAll':
        pauseAll(running.engine);
        break;
      case 'resumeAll':
        resumeAll(running.engine);
        break;
      case 'openDownloads':
        void shell.openPath(running.engine.settings.downloadDir);
        break;
      case 'toggleClipboard':
        clipboardWatching = !clipboardWatching;
        Menu.setApplicationMenu(buildMenu(appMenu(process.platform, { clipboardWatching }), run));
        break;
      case 'quit':
        app.quit();
        break;
    }
  };
  Menu.setApplicationMenu(buildMenu(appMenu(process.platform, { clipboardWatching }), run));
  window = createMainWindow({ appUrl: running.url, preload: path.join(here, 'preload.cjs'), stateFile: windowStateFile(app.getPath('userData')), icon });
  // While downloads run the machine stays awake (a sleeping laptop would stop them); after, it may sleep.
  const awake = new StayAwake({ start: () => powerSaveBlocker.start('prevent-app-suspension'), stop: (id) => powerSaveBlocker.stop(id) });
  running.engine.on('updated', () => awake.update(running.engine.list()));
  attachStatusSurfaces({
    engine: running.engine,
    window: () => window,
    icon,
    show,
    showItem: (file) => shell.showItemInFolder(file),
    onTrayMenu: () => buildMenu(trayMenu({ clipboardWatching, active: running.engine.list().filter((d) => d.status === 'downloading').length }), run),
  });

  // Opt-in: offer (never add on its own) links the user copies elsewhere.
  let lastClipboard = await clipboard.readText();
  const offered = new Set<string>();
  setInterval(async () => {
    if (!clipboardWatching) return;
    const text = await clipboard.readText();
    const links = linksToOffer(lastClipboard, text, offered);
    lastClipboard = text;
    for (const link of links) {
      offered.add(link);
      const note = new Notification({ title: 'Add this copied link to Haul?', body: link });
      note.on('click', () => addUrls([link]));
      note.show();
    }
  }, 1000).unref();

  // Quit cleanly however it is asked for: transfers checkpoint, the server closes.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', show);
  app.on('before-quit', (event) => {
    if (closing) return;
    event.preventDefault();
    closing = true;
    void running.close().finally(() => app.exit(0));
  });
  powerMonitor.on('shutdown', () => app.quit());
  process.on('SIGTERM', () => app.quit());
  process.on('SIGINT', () => app.quit());
}
