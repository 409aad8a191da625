import { extensionOf } from '../../../shared/risky-files.ts';

type Kind = 'archive' | 'disc' | 'video' | 'audio' | 'image' | 'document' | 'program' | 'code' | 'other';

const KINDS: Record<Exclude<Kind, 'other'>, readonly string[]> = {
  archive: ['zip', '7z', 'rar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'tar'],
  disc: ['iso', 'img', 'dmg', 'vhd', 'qcow2'],
  video: ['mp4', 'mkv', 'webm', 'mov', 'avi', 'm4v', 'ts'],
  audio: ['mp3', 'flac', 'wav', 'ogg', 'm4a', 'opus', 'aac'],
  image: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'avif', 'heic'],
  document: ['pdf', 'doc', 'docx', 'odt', 'txt', 'md', 'epub', 'xls', 'xlsx', 'csv', 'ppt', 'pptx'],
  program: ['exe', 'msi', 'deb', 'rpm', 'apk', 'appimage', 'pkg', 'sh', 'bat', 'cmd', 'ps1'],
  code: ['json', 'xml', 'html', 'js', 'ts', 'py', 'c', 'rs', 'go', 'java'],
};

export function fileKind(name: string): Kind {
  const ext = extensionOf(name);
  for (const [kind, list] of Object.entries(KINDS)) if (list.includes(ext)) return kind as Kind;
  return 'other';
}

/** A small tile naming the file's type by its extension, coloured by kind, so rows of one sort stand out together. */
export function FileIcon({ name }: { name: string }) {
  const ext = extensionOf(name).slice(0, 4).toUpperCase();
  return (
    <span className={`file-icon kind-${fileKind(name)}`} aria-hidden="true">
      {ext === '' ? '·' : ext}
    </span>
  );
}
