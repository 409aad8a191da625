/**
 * Extensions of files that run code when opened (programs, installers, scripts, shortcuts,
 * libraries, packages): saved like any other, but never opened without asking first.
 */
export const RISKY_EXTENSIONS: readonly string[] = [
  'exe',
  'msi',
  'msix',
  'bat',
  'cmd',
  'com',
  'ps1',
  'psm1',
  'vbs',
  'vbe',
  'js',
  'jse',
  'wsf',
  'wsh',
  'hta',
  'lnk',
  'scr',
  'pif',
  'cpl',
  'dll',
  'jar',
  'appimage',
  'deb',
  'rpm',
  'run',
  'sh',
  'dmg',
  'pkg',
  'app',
  'command',
  'apk',
  'xapk',
  'reg',
];

const RISKY = new Set(RISKY_EXTENSIONS);

/** Whether opening a file of this name could run a program. Case and trailing dots or spaces do not hide the extension. */
export function isRiskyFilename(name: string): boolean {
  const cleaned = name
    .trim()
    .replace(/[. ]+$/u, '')
    .toLowerCase();
  const dot = cleaned.lastIndexOf('.');
  return dot !== -1 && RISKY.has(cleaned.slice(dot + 1));
}
