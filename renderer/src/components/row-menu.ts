import type { Download } from '../../../shared/api.ts';
import type { DownloadActions } from '../actions/use-download-actions.ts';
import type { I18n } from '../i18n/i18n.tsx';
import type { MenuItem } from './context-menu.tsx';

/**
 * The right-click menu for the selected downloads. Single-file entries (open, show in folder,
 * save to this device, move in the queue) appear for one download; the rest act on all.
 */
export function rowMenu(chosen: readonly Download[], actions: DownloadActions, i18n: I18n, where: { local: boolean; desktop: boolean }): MenuItem[] {
  const ids = chosen.map((d) => d.id);
  const one = chosen.length === 1 ? chosen[0] : undefined;
  const items: MenuItem[] = [];
  const item = (label: string, onSelect: () => void, danger = false): void => void items.push({ kind: 'item', label, onSelect, danger });
  const separator = (): void => {
    if (items.length > 0 && items.at(-1)?.kind !== 'separator') items.push({ kind: 'separator' });
  };
  if (one?.status === 'completed') {
    if (where.local) {
      item(i18n.t('action.open'), () => actions.open(one.id));
      item(i18n.t('action.showInFolder'), () => actions.reveal(one.id));
    }
    if (!where.desktop) item(i18n.t('action.saveToDevice'), () => actions.saveToDevice(one.id));
    separator();
  }
  item(i18n.t('action.copyUrl'), () => actions.copyLinks(ids));
  item(i18n.t('action.copyPath'), () => actions.copyPaths(ids));
  separator();
  if (chosen.some((d) => d.status === 'scheduled')) item(i18n.t('menu.startNow'), () => actions.startNow(ids));
  if (chosen.some((d) => d.status === 'queued' || d.status === 'scheduled' || d.status === 'downloading')) item(i18n.t('action.pause'), () => actions.pause(ids));
  if (chosen.some((d) => d.status === 'paused')) item(i18n.t('action.resume'), () => actions.resume(ids.filter((id) => chosen.find((d) => d.id === id)?.status === 'paused')));
  if (chosen.some((d) => d.status === 'failed')) item(i18n.t('action.retry'), () => actions.resume(ids.filter((id) => chosen.find((d) => d.id === id)?.status === 'failed')));
  if (one !== undefined && one.status !== 'completed') {
    item(i18n.t('action.moveUp'), () => actions.move(one.id, 'up'));
    item(i18n.t('action.moveDown'), () => actions.move(one.id, 'down'));
  }
  separator();
  item(i18n.t('action.removeAsk'), () => void actions.remove(ids, false));
  if (chosen.some((d) => d.status === 'completed')) item(i18n.t('action.removeWithFileAsk'), () => void actions.remove(ids, true), true);
  return items;
}
