import type { TorrentProbe } from '../../../shared/torrent.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** A .torrent's files before it is added: each with its size, chosen or not (all at first). */
export function TorrentPicker({ probe, chosen, onChange, onClear }: { probe: TorrentProbe; chosen: ReadonlySet<number>; onChange: (next: Set<number>) => void; onClear: () => void }) {
  const i18n = useI18n();
  const size = probe.files.filter((f) => chosen.has(f.index)).reduce((n, f) => n + f.length, 0);
  const toggle = (index: number, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(index);
    else next.delete(index);
    onChange(next);
  };
  return (
    <fieldset className="torrent-picker">
      <legend>{i18n.t('torrent.pickerTitle', { name: probe.name, count: probe.files.length })}</legend>
      {probe.files.length > 1 && (
        <div className="torrent-picker-bulk">
          <button type="button" onClick={() => onChange(new Set(probe.files.map((f) => f.index)))}>
            {i18n.t('torrent.all')}
          </button>
          <button type="button" onClick={() => onChange(new Set())}>
            {i18n.t('torrent.none')}
          </button>
        </div>
      )}
      <ul>
        {probe.files.map((f) => (
          <li key={f.index} style={{ paddingInlineStart: `${(f.path.split('/').length - 1) * 12}px` }}>
            <label className="check">
              <input type="checkbox" checked={chosen.has(f.index)} onChange={(e) => toggle(f.index, e.target.checked)} />
              <span>{f.path.split('/').at(-1)}</span> <span className="muted">{i18n.bytes(f.length)}</span>
            </label>
          </li>
        ))}
      </ul>
      <p className="muted">
        {i18n.t('torrent.chosen', { count: chosen.size, size: i18n.bytes(size) })}{' '}
        <button type="button" onClick={onClear}>
          {i18n.t('torrent.clear')}
        </button>
      </p>
    </fieldset>
  );
}
