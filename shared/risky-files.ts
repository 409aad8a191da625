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

/** A name's extension, lower-case, without the dot ('' when none); trailing dots or spaces do not hide it. */
export function extensionOf(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[. ]+$/u, '')
    .toLowerCase();
  const dot = cleaned.lastIndexOf('.');
  return dot === -1 ? '' : cleaned.slice(dot + 1);
}

/** Whether opening a file of this name could run a program. Case and trailing dots or spaces do not hide the extension. */
export function isRiskyFilename(name: string): boolean {
  const ext = extensionOf(name);
  return ext !== '' && RISKY.has(ext);
}
