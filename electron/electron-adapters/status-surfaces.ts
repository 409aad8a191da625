import { Notification, Tray, nativeImage, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { Download } from '../../shared/api.ts';
import type { Engine } from '../engine/engine.ts';
import { summarize } from '../desktop-logic/tray-summary.ts';

/**
 * What the desktop shows outside the window: a tray icon with overall progress, the
 * taskbar/dock progress bar, and a notification when a download completes or fails.
 */
export function attachStatusSurfaces(opts: {
  engine: Engine;
  window: () => BrowserWindow | undefined;
  icon: string;
  onTrayMenu: () => Electron.Menu;
  showItem: (file: string) => void;
  show: () => void;
}): Tray {
  const tray = new Tray(nativeImage.createFromPath(opts.icon));
  const refresh = (): void => {
    const summary = summarize(opts.engine.list());
    tray.setToolTip(summary.tooltip);
    tray.setContextMenu(opts.onTrayMenu());
    opts.window()?.setProgressBar(summary.progress);
  };
  tray.on('click', opts.show);
  let pending: NodeJS.Timeout | undefined;
  const soon = (): void => {
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      refresh();
    }, 500);
  };
  opts.engine.on('progress', soon);
  opts.engine.on('updated', (patch) => {
    soon();
    if (patch.status === 'completed' || patch.status === 'failed') {
      const d = opts.engine.get(patch.id);
      if (d !== undefined) notify(d, opts);
    }
  });
  refresh();
  return tray;
}

function notify(d: Download, opts: { showItem: (file: string) => void; show: () => void }): void {
  if (!Notification.isSupported()) return;
  const file = path.join(d.dir, d.filename);
  const note =
    d.status === 'completed'
      ? new Notification({ title: 'Download complete', body: d.filename })
      : new Notification({ title: 'Download failed', body: `${d.filename}: ${d.status === 'failed' ? d.error.message : ''}` });
  note.on('click', () => (d.status === 'completed' ? opts.showItem(file) : opts.show()));
  note.show();
}
