/**
 * What the desktop app's preload offers the renderer (window.haulDesktop). In browser mode
 * it is absent, and desktop-only actions are simply not shown.
 */
export interface DesktopApi {
  /** The app's version. */
  version(): Promise<string>;
  /** The local server's base URL and token, handed over instead of a #token= link. */
  connection(): Promise<{ url: string; token: string }>;
  /** Lets the user choose a folder; null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Opens a finished file with the system's default app. */
  openFile(path: string): Promise<void>;
  /** Shows a file in the system file manager. */
  showInFolder(path: string): Promise<void>;
}

/** IPC channel names, declared once for the preload and the main process. */
export const DESKTOP_CHANNELS = {
  version: 'haul:version',
  connection: 'haul:connection',
  pickFolder: 'haul:pick-folder',
  openFile: 'haul:open-file',
  showInFolder: 'haul:show-in-folder',
} as const;
