import { useCallback, useState } from 'react';
import { WHEN_DONE_ACTIONS, type Settings, type WhenDoneAction } from '../../../shared/api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { notificationsWanted, setNotificationsWanted } from '../state/notifications.ts';
import { FolderInput } from './folder-input.tsx';
import { ModalForm } from './modal-form.tsx';
import { NodesSection } from './nodes-section.tsx';
import { PairedBrowsers } from './paired-browsers.tsx';
import { TokenSection } from './token-section.tsx';
import { UsersSection } from './users-section.tsx';
import { SpeedLimitInput } from './speed-limit-input.tsx';
import { ScheduleEditor } from './schedule-editor.tsx';
import type { Schedule } from '../../../shared/schedule.ts';
import { ActionsEditor, actionsToSave } from './actions-editor.tsx';
import { SiteRulesEditor } from './site-rules-editor.tsx';
import { TorrentSettingsEditor } from './torrent-settings.tsx';

export function SettingsDialog({ settings, onClose }: { settings: Settings; onClose: () => void }) {
  const { api, desktop, user } = useServices();
  const i18n = useI18n();
  const [draft, setDraft] = useState({
    downloadDir: settings.downloadDir,
    maxConcurrent: String(settings.maxConcurrent),
    connectionsPerDownload: String(settings.connectionsPerDownload),
    rpcPort: String(settings.rpcPort),
    whenDoneCountdown: String(settings.whenDoneCountdown),
  });
  const [whenDone, setWhenDone] = useState<WhenDoneAction>(settings.whenDone);
  const [limit, setLimit] = useState<number | undefined>(settings.speedLimit);
  const [schedule, setSchedule] = useState<Schedule | null>(settings.schedule);
  const [actions, setActions] = useState(settings.actions);
  const [siteRules, setSiteRules] = useState(settings.siteRules);
  const [torrent, setTorrent] = useState(settings.torrent);
  // Actions can run programs: only an admin (or the desktop's owner) defines them, and site rules with them.
  const isAdmin = user === undefined || user.role === 'admin';
  const [notify, setNotify] = useState(() => notificationsWanted());
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (key: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const close = useCallback(() => onClose(), [onClose]);
  // Stable, so the sections that load their lists on mount do not load them again on every render.
  const report = useCallback((e: unknown) => setError(i18n.error(e)), [i18n]);
  // The desktop app notifies from its main process; in a browser tab it takes the page's permission.
  const canNotify = desktop === undefined && typeof Notification !== 'undefined';

  // The server names a field as the API spells it ("downloadDir"); a person reads its label.
  const saveError = (e: unknown): string => {
    const labels: Record<string, string> = {
      downloadDir: i18n.t('settings.downloadDir'),
      maxConcurrent: i18n.t('settings.maxConcurrent'),
      connectionsPerDownload: i18n.t('settings.connections'),
      speedLimit: i18n.t('settings.speedLimit'),
      rpcPort: i18n.t('settings.rpcPort'),
      actions: i18n.t('settings.actions'),
      siteRules: i18n.t('settings.siteRules'),
      torrent: i18n.t('settings.torrents'),
    };
    return i18n.error(e).replace(/"(downloadDir|maxConcurrent|connectionsPerDownload|speedLimit|rpcPort|actions|siteRules|torrent)"/gu, (_, field: string) => `“${labels[field] ?? field}”`);
  };

  async function save(): Promise<void> {
    // Each attempt shows its own outcome: an error from an earlier one does not linger.
    setError(null);
    if (limit === undefined) {
      setError(i18n.t('settings.badLimit'));
      return;
    }
    setSaving(true);
    try {
      // The server checks the folder (it must exist or be creatable, and be writable) before it is saved.
      await api.patchSettings({
        downloadDir: draft.downloadDir,
        maxConcurrent: Number(draft.maxConcurrent),
        connectionsPerDownload: Number(draft.connectionsPerDownload),
        speedLimit: limit,
        rpcPort: Number(draft.rpcPort),
        schedule,
        whenDone,
        whenDoneCountdown: Number(draft.whenDoneCountdown),
        ...(isAdmin ? { actions: actionsToSave(actions), siteRules, torrent } : {}),
      });
      if (canNotify && notify !== notificationsWanted()) {
        const granted = !notify || (await Notification.requestPermission()) === 'granted';
        setNotificationsWanted(notify && granted);
      }
      onClose();
    } catch (e) {
      setError(saveError(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <ModalForm labelledBy="settings-title" onCancel={close} onSubmit={() => void save()}>
      <h2 id="settings-title">{i18n.t('settings.title')}</h2>
      <label htmlFor="settings-folder">
        <span>{i18n.t('settings.downloadDir')}</span>
        <FolderInput id="settings-folder" value={draft.downloadDir} onChange={set('downloadDir')} autoFocus />
      </label>
      <label>
        <span>{i18n.t('settings.maxConcurrent')}</span>
        <input type="number" min={1} max={20} value={draft.maxConcurrent} onChange={(e) => set('maxConcurrent')(e.target.value)} />
      </label>
      <label>
        <span>{i18n.t('settings.connections')}</span>
        <input type="number" min={1} max={32} value={draft.connectionsPerDownload} onChange={(e) => set('connectionsPerDownload')(e.target.value)} />
      </label>
      <div className="field">
        <span>{i18n.t('settings.speedLimit')}</span>
        <SpeedLimitInput id="settings-limit" label={i18n.t('settings.speedLimit')} bytes={settings.speedLimit} onChange={setLimit} />
      </div>
      <ScheduleEditor value={schedule} onChange={setSchedule} />
      <label>
        <span>{i18n.t('settings.whenDone')}</span>
        <select value={whenDone} onChange={(e) => setWhenDone(e.target.value as WhenDoneAction)}>
          {WHEN_DONE_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {i18n.t(`settings.whenDone.${action}`)}
            </option>
          ))}
        </select>
      </label>
      {whenDone !== 'nothing' && (
        <label>
          <span>{i18n.t('settings.whenDoneCountdown')}</span>
          <input type="number" min={5} max={3600} value={draft.whenDoneCountdown} onChange={(e) => set('whenDoneCountdown')(e.target.value)} />
        </label>
      )}
      <label>
        <span>{i18n.t('settings.rpcPort')}</span>
        <input type="number" min={0} max={65535} value={draft.rpcPort} onChange={(e) => set('rpcPort')(e.target.value)} aria-describedby="settings-rpc-hint" />
        <small id="settings-rpc-hint">{i18n.t('settings.rpcPortHint')}</small>
      </label>
      {canNotify && (
        <label className="check">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          <span>{i18n.t('settings.notify')}</span>
        </label>
      )}
      {isAdmin && <ActionsEditor value={actions} onChange={setActions} />}
      {isAdmin && <SiteRulesEditor value={siteRules} onChange={setSiteRules} />}
      {isAdmin && <TorrentSettingsEditor value={torrent} onChange={setTorrent} />}
      <NodesSection onError={report} canDrain={isAdmin} />
      {isAdmin ? <PairedBrowsers onError={report} /> : null}
      {user?.role === 'admin' && <UsersSection onError={report} />}
      {user !== undefined && user.role !== 'viewer' && <TokenSection onError={report} />}
      {error !== null && (
        <p role="alert" className="add-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {i18n.t('settings.cancel')}
        </button>
        <button type="submit" className="primary" disabled={saving}>
          {i18n.t('settings.save')}
        </button>
      </div>
    </ModalForm>
  );
}
