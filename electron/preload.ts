// The window's only bridge to the app: a few typed calls, nothing else of Electron or Node.
// A sandboxed preload must be CommonJS; scripts/build-desktop.ts bundles it as preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_CHANNELS, type DesktopApi } from '../shared/desktop-api.ts';

const api: DesktopApi = {
  version: () => ipcRenderer.invoke(DESKTOP_CHANNELS.version),
  connection: () => ipcRenderer.invoke(DESKTOP_CHANNELS.connection),
  pickFolder: () => ipcRenderer.invoke(DESKTOP_CHANNELS.pickFolder),
  openFile: (file) => ipcRenderer.invoke(DESKTOP_CHANNELS.openFile, file),
  showInFolder: (file) => ipcRenderer.invoke(DESKTOP_CHANNELS.showInFolder, file),
};

contextBridge.exposeInMainWorld('haulDesktop', api);
