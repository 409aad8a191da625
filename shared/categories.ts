/**
 * Categories (Settings `categories`): a new download lands in its category's folder, chosen by
 * its final name's extension. Pure, shared by the engine and the interface.
 */
export interface Category {
  name: string;
  /** Lower-case extensions without the dot. */
  extensions: string[];
  /** A folder below the download folder (a user's own folder, with accounts on). */
  dir: string;
  /** Actions (Settings' names) to run when a download of this category finishes. */
  actions?: string[] | undefined;
}

export const DEFAULT_CATEGORIES: readonly Category[] = [
  { name: 'Video', extensions: ['mp4', 'mkv', 'webm', 'avi', 'mov', 'm4v', 'wmv', 'flv', 'ts'], dir: 'Video' },
  { name: 'Music', extensions: ['mp3', 'flac', 'm4a', 'aac', 'ogg', 'opus', 'wav', 'wma'], dir: 'Music' },
  { name: 'Archives', extensions: ['zip', '7z', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'iso'], dir: 'Archives' },
  { name: 'Programs', extensions: ['exe', 'msi', 'dmg', 'pkg', 'deb', 'rpm', 'appimage', 'apk'], dir: 'Programs' },
  { name: 'Documents', extensions: ['pdf', 'doc', 'docx', 'odt', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp', 'txt', 'epub', 'csv'], dir: 'Documents' },
  { name: 'Images', extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg', 'bmp', 'tiff', 'heic', 'avif'], dir: 'Images' },
];

/** The first category whose extensions hold `filename`'s, if any. */
export function categoryOf(filename: string, categories: readonly Category[]): Category | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot <= 0 || dot === filename.length - 1) return undefined;
  const extension = filename.slice(dot + 1).toLowerCase();
  return categories.find((c) => c.extensions.includes(extension));
}

/** Whether `dir` is a folder name (or path) below another: not absolute, no "..", no empty parts. */
export function isSubfolder(dir: string): boolean {
  if (dir === '' || dir.startsWith('/') || dir.startsWith('\\') || /^[a-zA-Z]:/u.test(dir) || dir.includes('\0')) return false;
  return dir.split(/[\\/]/u).every((part) => part !== '' && part !== '.' && part !== '..');
}
