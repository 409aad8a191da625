import { FileError } from '../errors.ts';

/** Maps a Node fs error to a FileError that says what to do. */
export function fileErrorFrom(error: NodeJS.ErrnoException, action: string, filePath?: string): FileError {
  const where = filePath === undefined ? '' : ` (${filePath})`;
  switch (error.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileError('DISK_FULL', `The disk is full, so Haul could not ${action}${where}. Free some space, then resume: the part already downloaded is kept.`, {
        cause: error,
        ...(filePath === undefined ? {} : { params: { path: filePath } }),
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new FileError('PERMISSION_DENIED', `Haul is not allowed to ${action}${where}. Choose a folder you can write to, or change its permissions.`, {
        cause: error,
        ...(filePath === undefined ? {} : { params: { path: filePath } }),
      });
    default:
      return new FileError('FILE_ERROR', `Haul could not ${action}${where}: ${error.message}.`, { cause: error, ...(filePath === undefined ? {} : { params: { path: filePath } }) });
  }
}
