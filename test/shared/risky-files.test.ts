import { describe, expect, it } from 'vitest';
import { isRiskyFilename } from '../../shared/risky-files.ts';

describe('isRiskyFilename', () => {
  it.each([
    'setup.exe',
    'SETUP.EXE',
    'install.msi',
    'run.bat',
    'x.cmd',
    'a.ps1',
    'b.vbs',
    'c.lnk',
    'd.scr',
    'e.dll',
    'f.jar',
    'Tool.AppImage',
    'p.deb',
    'p.rpm',
    'm.dmg',
    'm.pkg',
    'a.apk',
    'trick.exe. ',
    'invoice.pdf.exe',
  ])('%j is risky', (name) => {
    expect(isRiskyFilename(name)).toBe(true);
  });
  it.each(['movie.mkv', 'photo.jpg', 'archive.zip', 'exe', 'readme', 'notes.exe.txt', 'report.pdf'])('%j is not', (name) => {
    expect(isRiskyFilename(name)).toBe(false);
  });
});
