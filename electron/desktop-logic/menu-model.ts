/**
 * Menus as plain data, turned into Electron menus by the shell. Kept here so their content
 * is tested without Electron.
 */
export type MenuAction = 'show' | 'pauseAll' | 'resumeAll' | 'quit' | 'toggleClipboard' | 'openDownloads';

export type MenuItemModel =
  | { kind: 'action'; label: string; action: MenuAction; checked?: boolean; accelerator?: string }
  | {
      kind: 'role';
      role:
        | 'undo'
        | 'redo'
        | 'cut'
        | 'copy'
        | 'paste'
        | 'selectAll'
        | 'reload'
        | 'toggleDevTools'
        | 'resetZoom'
        | 'zoomIn'
        | 'zoomOut'
        | 'togglefullscreen'
        | 'minimize'
        | 'close'
        | 'about'
        | 'hide'
        | 'hideOthers'
        | 'unhide'
        | 'quit'
        | 'front';
    }
  | { kind: 'separator' }
  | { kind: 'submenu'; label: string; items: MenuItemModel[] };

const sep: MenuItemModel = { kind: 'separator' };

export function trayMenu(state: { clipboardWatching: boolean; active: number }): MenuItemModel[] {
  return [
    { kind: 'action', label: 'Show Haul', action: 'show' },
    sep,
    { kind: 'action', label: 'Pause all', action: 'pauseAll' },
    { kind: 'action', label: 'Resume all', action: 'resumeAll' },
    sep,
    { kind: 'action', label: 'Offer to add copied links', action: 'toggleClipboard', checked: state.clipboardWatching },
    sep,
    { kind: 'action', label: state.active > 0 ? `Quit (${state.active} downloading; they resume next time)` : 'Quit', action: 'quit' },
  ];
}

/** The application menu with the usual roles; macOS gets its app menu first. */
export function appMenu(platform: NodeJS.Platform, state: { clipboardWatching: boolean }): MenuItemModel[] {
  const mac = platform === 'darwin';
  const appSection: MenuItemModel[] = mac
    ? [
        {
          kind: 'submenu',
          label: 'Haul',
          items: [{ kind: 'role', role: 'about' }, sep, { kind: 'role', role: 'hide' }, { kind: 'role', role: 'hideOthers' }, { kind: 'role', role: 'unhide' }, sep, { kind: 'role', role: 'quit' }],
        },
      ]
    : [];
  return [
    ...appSection,
    {
      kind: 'submenu',
      label: 'File',
      items: [
        { kind: 'action', label: 'Open Downloads Folder', action: 'openDownloads' },
        { kind: 'action', label: 'Offer to Add Copied Links', action: 'toggleClipboard', checked: state.clipboardWatching },
        sep,
        mac ? { kind: 'role', role: 'close' } : { kind: 'action', label: 'Quit', action: 'quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      kind: 'submenu',
      label: 'Edit',
      items: [
        { kind: 'role', role: 'undo' },
        { kind: 'role', role: 'redo' },
        sep,
        { kind: 'role', role: 'cut' },
        { kind: 'role', role: 'copy' },
        { kind: 'role', role: 'paste' },
        { kind: 'role', role: 'selectAll' },
      ],
    },
    {
      kind: 'submenu',
      label: 'Downloads',
      items: [
        { kind: 'action', label: 'Pause All', action: 'pauseAll' },
        { kind: 'action', label: 'Resume All', action: 'resumeAll' },
      ],
    },
    {
      kind: 'submenu',
      label: 'View',
      items: [
        { kind: 'role', role: 'reload' },
        { kind: 'role', role: 'toggleDevTools' },
        sep,
        { kind: 'role', role: 'resetZoom' },
        { kind: 'role', role: 'zoomIn' },
        { kind: 'role', role: 'zoomOut' },
        sep,
        { kind: 'role', role: 'togglefullscreen' },
      ],
    },
    {
      kind: 'submenu',
      label: 'Window',
      items: mac
        ? [
            { kind: 'role', role: 'minimize' },
            { kind: 'role', role: 'front' },
          ]
        : [
            { kind: 'role', role: 'minimize' },
            { kind: 'role', role: 'close' },
          ],
    },
  ];
}
