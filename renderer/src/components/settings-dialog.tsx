import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { FolderInput } from './folder-input.tsx';

export function SettingsDialog({ settings, onClose }: { settings: Settings; onClose: () => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [draft, setDraft] = useState({
    downloadDir: settings.downloadDir,
    maxConcurrent: String(settings.maxConcurrent),
    connectionsPerDownload: String(settings.connectionsPerDownload),
    speedLimit: String(Math.round(settings.speedLimit / 1024)),
  });
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    try {
      await api.patchSettings({
        downloadDir: draft.downloadDir,
        maxConcurrent: Number(draft.maxConcurrent),
        connectionsPerDownload: Number(draft.connectionsPerDownload),
        speedLimit: Math.round(Number(draft.speedLimit) * 1024),
      });
      onClose();
    } catch (e) {
      setError(i18n.error(e));
    }
  }

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="settings-title" onSubmit={(e) => void save(e)}>
        <h2 id="settings-title">{i18n.t('settings.title')}</h2>
        <label>
          <span>{i18n.t('settings.downloadDir')}</span>
          <FolderInput value={draft.downloadDir} onChange={set('downloadDir')} autoFocus />
        </label>
        <label>
          <span>{i18n.t('settings.maxConcurrent')}</span>
          <input type="number" min={1} max={20} value={draft.maxConcurrent} onChange={(e) => set('maxConcurrent')(e.target.value)} />
        </label>
        <label>
          <span>{i18n.t('settings.connections')}</span>
          <input type="number" min={1} max={32} value={draft.connectionsPerDownload} onChange={(e) => set('connectionsPerDownload')(e.target.value)} />
        </label>
        <label>
          <span>{i18n.t('settings.speedLimit')}</span>
          <input type="number" min={0} value={draft.speedLimit} onChange={(e) => set('speedLimit')(e.target.value)} />
        </label>
        {error !== null && (
          <p role="alert" className="add-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {i18n.t('settings.cancel')}
          </button>
          <button type="submit" className="primary">
            {i18n.t('settings.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
