import type { TorrentSettings } from '../../../shared/torrent.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { SpeedLimitInput } from './speed-limit-input.tsx';

const SWITCHES = ['trackers', 'dht', 'pex', 'lsd'] as const;

/** Settings → Torrents: the incoming port, how peers are found, the upload limit and slots, and seeding. */
export function TorrentSettingsEditor({ value, onChange }: { value: TorrentSettings; onChange: (next: TorrentSettings) => void }) {
  const i18n = useI18n();
  const set = (patch: Partial<TorrentSettings>): void => onChange({ ...value, ...patch });
  const number = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
  return (
    <fieldset className="rules" aria-labelledby="torrent-legend">
      <legend id="torrent-legend">{i18n.t('settings.torrents')}</legend>
      <div className="rule">
        <label>
          <span>{i18n.t('settings.torrentPort')}</span>
          <input type="number" min={0} max={65535} value={value.port} onChange={(e) => set({ port: number(e.target.value) })} />
        </label>
        <label>
          <span>{i18n.t('settings.torrentPeers')}</span>
          <input type="number" min={1} max={500} value={value.maxPeers} onChange={(e) => set({ maxPeers: number(e.target.value) })} />
        </label>
        <label>
          <span>{i18n.t('settings.torrentSlots')}</span>
          <input type="number" min={1} max={100} value={value.uploadSlots} onChange={(e) => set({ uploadSlots: number(e.target.value) })} />
        </label>
        <div className="field wide">
          <span>{i18n.t('settings.torrentUpload')}</span>
          <SpeedLimitInput id="torrent-upload" label={i18n.t('settings.torrentUpload')} bytes={value.uploadLimit} onChange={(bytes) => bytes !== undefined && set({ uploadLimit: bytes })} />
        </div>
        {SWITCHES.map((key) => (
          <label key={key} className="check">
            <input type="checkbox" checked={value[key]} onChange={(e) => set({ [key]: e.target.checked })} />
            <span>{i18n.t(`settings.torrent.${key}`)}</span>
          </label>
        ))}
        <label>
          <span>{i18n.t('settings.seedRatio')}</span>
          <input type="number" min={0} step="any" value={value.seedRatio} onChange={(e) => set({ seedRatio: number(e.target.value) })} />
        </label>
        <label>
          <span>{i18n.t('settings.seedMinutes')}</span>
          <input type="number" min={0} value={value.seedMinutes} onChange={(e) => set({ seedMinutes: number(e.target.value) })} />
        </label>
      </div>
    </fieldset>
  );
}
