import { useMemo } from 'react';
import type { Download, MoveTarget } from '../../../shared/api.ts';
import { ApiError } from '../api/api-client.ts';
import { useServices, type AppServices } from '../app-context.tsx';
import { useConfirm } from '../components/dialogs.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export const pathOf = (d: Pick<Download, 'dir' | 'filename'>): string => `${d.dir}/${d.filename}`;

/**
 * Haul runs on this machine: the desktop app, or a browser on the same computer as `haul serve`.
 * Only then can "Open" and "Show in folder" mean anything to the person clicking.
 */
export function onThisMachine(hostname: string = location.hostname): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

/**
 * Whether "open" and "show in folder" act on this screen: in the desktop app, or in a browser
 * on the machine Haul runs on, for its owner or an admin (the server refuses them to others, so
 * a user's "open" is "Save to this device").
 */
export function opensHere(services: Pick<AppServices, 'desktop' | 'user'>, hostname?: string): boolean {
  return services.desktop !== undefined || (onThisMachine(hostname) && (services.user === undefined || services.user.role === 'admin'));
}

/** What can be done to downloads from the list, the menu, the keyboard and the detail panel; each takes ids. */
export function useDownloadActions(onError: (error: unknown) => void) {
  const services = useServices();
  const { api, desktop, store } = services;
  const i18n = useI18n();
  const confirm = useConfirm();
  return useMemo(() => {
    const each = (ids: readonly string[], act: (d: Download) => Promise<unknown> | undefined): void => {
      for (const id of ids) {
        const d = store.get(id);
        if (d !== undefined) void act(d)?.catch(onError);
      }
    };
    // A machine with no desktop cannot show the file: offer to bring it here instead.
    const orSave = async (d: Download, act: () => Promise<unknown>): Promise<void> => {
      try {
        await act();
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'NO_DESKTOP') throw error;
        const answer = await confirm({ title: i18n.t('noDesktop.title', { name: d.filename }), body: i18n.t('noDesktop.body'), confirmLabel: i18n.t('action.saveToDevice') });
        if (answer.ok) saveToDevice(d.id);
      }
    };
    const open = async (d: Download): Promise<void> => {
      // The desktop app asks in its own native prompt; in a browser, Haul asks here, and the server insists too.
      if (desktop !== undefined) return desktop.openFile(pathOf(d));
      if (!d.risky) return orSave(d, () => api.open(d.id));
      const answer = await confirm({ title: i18n.t('risky.title', { name: d.filename }), body: i18n.t('risky.body'), confirmLabel: i18n.t('risky.open'), danger: true });
      if (answer.ok) await orSave(d, () => api.open(d.id, true));
    };
    const saveToDevice = (id: string): void => {
      const link = document.createElement('a');
      link.href = api.fileUrl(id);
      link.download = store.get(id)?.filename ?? '';
      link.click();
    };
    return {
      toggle: (ids: readonly string[]) =>
        each(ids, (d) => {
          if (d.status === 'queued' || d.status === 'scheduled' || d.status === 'downloading') return api.pause(d.id);
          if (d.status === 'paused' || d.status === 'failed') return api.resume(d.id);
          return undefined;
        }),
      pause: (ids: readonly string[]) => each(ids, (d) => (d.status === 'queued' || d.status === 'scheduled' || d.status === 'downloading' ? api.pause(d.id) : undefined)),
      resume: (ids: readonly string[]) => each(ids, (d) => (d.status === 'paused' || d.status === 'failed' ? api.resume(d.id) : undefined)),
      startNow: (ids: readonly string[]) => each(ids, (d) => (d.status === 'scheduled' ? api.startNow(d.id) : undefined)),
      open: (id: string) => each([id], (d) => (d.status !== 'completed' ? undefined : opensHere(services) ? open(d) : void saveToDevice(id))),
      reveal: (id: string) => each([id], (d) => (d.status !== 'completed' ? undefined : desktop !== undefined ? desktop.showInFolder(pathOf(d)) : orSave(d, () => api.reveal(d.id)))),
      saveToDevice,
      copyLinks: (ids: readonly string[]) => void navigator.clipboard.writeText(ids.map((id) => store.get(id)?.url ?? '').join('\n')).catch(onError),
      copyPaths: (ids: readonly string[]) =>
        void navigator.clipboard
          .writeText(
            ids
              .map((id) => {
                const d = store.get(id);
                return d === undefined ? '' : pathOf(d);
              })
              .join('\n'),
          )
          .catch(onError),
      move: (id: string, to: MoveTarget) => void api.move(id, to).catch(onError),
      /** Asks first; "also delete the files" is a choice in the same dialog, never a button beside Remove. */
      remove: async (ids: readonly string[], withFiles: boolean): Promise<boolean> => {
        const shown = ids.map((id) => store.get(id)).filter((d): d is Download => d !== undefined);
        if (shown.length === 0) return false;
        const finished = shown.filter((d) => d.status === 'completed').length;
        const answer = await confirm({
          title: shown.length === 1 ? i18n.t('remove.titleOne', { name: shown[0]?.filename ?? '' }) : i18n.t('remove.titleMany', { count: shown.length }),
          body: i18n.t('remove.body'),
          confirmLabel: i18n.t('action.remove'),
          danger: true,
          ...(finished > 0 ? { checkbox: { label: i18n.t('remove.withFiles', { count: finished }), checked: withFiles } } : {}),
        });
        if (!answer.ok) return false;
        for (const d of shown) await api.remove(d.id, answer.checked && d.status === 'completed').catch(onError);
        return true;
      },
    };
  }, [services, api, desktop, store, i18n, confirm, onError]);
}

export type DownloadActions = ReturnType<typeof useDownloadActions>;
