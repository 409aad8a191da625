import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Download } from '../../../shared/api.ts';
import { linksToOffer } from '../../../electron/desktop-logic/clipboard-offer.ts';
import { launchLinks, urlsFromArgs, urlsFromDeepLink } from '../../../electron/desktop-logic/launch-args.ts';
import { riskyOpenPrompt } from '../../../electron/desktop-logic/risky-open.ts';
import { appMenu, trayMenu, type MenuItemModel } from '../../../electron/desktop-logic/menu-model.ts';
import { summarize } from '../../../electron/desktop-logic/tray-summary.ts';
import { isAppUrl, isExternalWebLink, isTrustedSender } from '../../../electron/desktop-logic/trusted-sender.ts';
import { DEFAULT_WINDOW, loadState, restoreState, saveState } from '../../../electron/desktop-logic/window-state.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('launch arguments and haul:// links', () => {
  it('takes http(s) URLs and deep links, ignoring switches and the app path', () => {
    const argv = [
      '/opt/Haul/haul',
      '--no-sandbox',
      '.',
      'https://a.example/file.iso',
      'haul://add?url=https%3A%2F%2Fb.example%2Fx.zip&url=http%3A%2F%2Fc.example%2Fy',
      'ftp://nope/z',
      'https://a.example/file.iso',
    ];
    expect(urlsFromArgs(argv)).toEqual(['https://a.example/file.iso', 'https://b.example/x.zip', 'http://c.example/y']);
  });
  it('accepts haul://<url> and rejects links to other schemes', () => {
    expect(urlsFromDeepLink('haul://https://d.example/a.bin')).toEqual(['https://d.example/a.bin']);
    expect(urlsFromDeepLink('haul://add?url=file%3A%2F%2F%2Fetc%2Fpasswd')).toEqual([]);
    expect(urlsFromDeepLink('https://not-haul.example/')).toEqual([]);
  });
  it('never throws on a malformed link: it is ignored and reported, the others still taken', () => {
    const argv = ['haul://%E0%A4%A', 'haul:%', 'https://ok.example/f', 'haul://add?url=%ZZ'];
    expect(() => urlsFromArgs(argv)).not.toThrow();
    expect(launchLinks(argv)).toEqual({ urls: ['https://ok.example/f'], ignored: ['haul://%E0%A4%A', 'haul:%', 'haul://add?url=%ZZ'] });
  });
});

describe('opening a file that can run code', () => {
  it('asks first, naming the file, with Cancel as the default', () => {
    const prompt = riskyOpenPrompt('/home/me/Downloads/setup.exe');
    expect(prompt).toMatchObject({ message: 'Open setup.exe?', buttons: ['Open', 'Cancel'], defaultId: 1, cancelId: 1 });
    expect(prompt?.detail).toMatch(/can run a program/u);
    expect(riskyOpenPrompt('/home/me/Downloads/movie.mkv')).toBeUndefined();
  });
});

describe('tray and taskbar summary', () => {
  const d = (over: Partial<Download>): Download =>
    ({ id: 'x', url: 'u', filename: 'f', dir: '/d', status: 'downloading', received: 0, total: 100, speed: 0, connections: 1, resumable: true, createdAt: '', ...over }) as Download;
  it('says nothing is downloading and hides the bar', () => {
    expect(summarize([d({ status: 'completed', completedAt: 'x' } as Partial<Download>)])).toEqual({ tooltip: 'Haul: nothing downloading', progress: -1, active: 0 });
  });
  it('aggregates running downloads', () => {
    const s = summarize([d({ received: 25, total: 100, speed: 1024 }), d({ received: 25, total: 100, speed: 1024 })]);
    expect(s.progress).toBe(0.25);
    expect(s.tooltip).toBe('Haul: 2 downloading 25%, 2.0 KiB/s, 1s left');
  });
  it('is indeterminate when a size is unknown', () => {
    expect(summarize([d({ total: null })]).progress).toBe(2);
  });
});

describe('menus', () => {
  const labels = (items: MenuItemModel[]): string[] =>
    items.flatMap((i) => (i.kind === 'submenu' ? [i.label, ...labels(i.items)] : i.kind === 'action' ? [i.label] : i.kind === 'role' ? [`role:${i.role}`] : []));
  it('has the tray actions, with the clipboard option reflecting its state', () => {
    const menu = trayMenu({ clipboardWatching: true, active: 2 });
    expect(labels(menu)).toEqual(['Show Haul', 'Pause all', 'Resume all', 'Offer to add copied links', 'Quit (2 downloading; they resume next time)']);
    expect(menu.find((i) => i.kind === 'action' && i.action === 'toggleClipboard')).toMatchObject({ checked: true });
  });
  it('gives macOS its app menu and everyone the usual edit roles', () => {
    expect(labels(appMenu('darwin', { clipboardWatching: false }))[0]).toBe('Haul');
    const linux = labels(appMenu('linux', { clipboardWatching: false }));
    expect(linux[0]).toBe('File');
    expect(linux).toEqual(expect.arrayContaining(['role:copy', 'role:paste', 'role:selectAll', 'Quit', 'Pause All']));
  });
});

describe('window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  it('restores a window that is still on a display, and persists through a file', () => {
    const file = path.join(tempDir(), 'sub', 'window-state.json');
    saveState(file, { bounds: { x: 100, y: 80, width: 900, height: 600 }, maximized: true });
    expect(restoreState(loadState(file), [display])).toEqual({ bounds: { x: 100, y: 80, width: 900, height: 600 }, maximized: true, centre: false });
  });
  it('centres a window whose monitor is gone, and ignores garbage', () => {
    expect(restoreState({ bounds: { x: 5000, y: 0, width: 900, height: 600 }, maximized: false }, [display])).toMatchObject({ centre: true });
    expect(restoreState({ bounds: { x: 'a' } }, [display])).toEqual({ ...DEFAULT_WINDOW, centre: true });
    expect(restoreState(loadState('/nonexistent/state.json'), [display]).centre).toBe(true);
    expect(fs.existsSync('/nonexistent')).toBe(false);
  });
});

describe('clipboard offers (opt-in)', () => {
  it('offers new http(s) links once', () => {
    const offered = new Set<string>();
    expect(linksToOffer('', 'see https://a.example/x.zip and ftp://b/y', offered)).toEqual(['https://a.example/x.zip']);
    offered.add('https://a.example/x.zip');
    expect(linksToOffer('old', 'https://a.example/x.zip', offered)).toEqual([]);
    expect(linksToOffer('same', 'same', offered)).toEqual([]);
  });
});

describe('IPC sender and navigation checks', () => {
  const trusted = { origin: 'http://127.0.0.1:4000', webContentsIds: new Set([7]) };
  it('accepts only the app window main frame at the app origin', () => {
    expect(isTrustedSender({ frameUrl: 'http://127.0.0.1:4000/', isMainFrame: true, webContentsId: 7 }, trusted)).toBe(true);
    expect(isTrustedSender({ frameUrl: 'http://127.0.0.1:4000/', isMainFrame: false, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://evil.example/', isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'http://127.0.0.1:4000/', isMainFrame: true, webContentsId: 8 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
  });
  it('keeps navigation in the app and hands only web links to the browser', () => {
    expect(isAppUrl('http://127.0.0.1:4000/#x', 'http://127.0.0.1:4000')).toBe(true);
    expect(isAppUrl('http://127.0.0.1:4001/', 'http://127.0.0.1:4000')).toBe(false);
    expect(isExternalWebLink('https://example.com/')).toBe(true);
    expect(isExternalWebLink('file:///etc/passwd')).toBe(false);
    expect(isExternalWebLink('javascript:alert(1)')).toBe(false);
  });
});
