import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

const KiB = 1024;
const MiB = 1024 * 1024;
/** Common choices, in bytes/s (0 = no limit). */
export const LIMIT_PRESETS: readonly number[] = [0, 512 * KiB, MiB, 5 * MiB, 10 * MiB];
type Unit = 'KiB' | 'MiB';

/** Bytes/s as the number and unit a person would type: whole MiB when it divides, else KiB. */
export function splitLimit(bytes: number): { value: string; unit: Unit } {
  if (bytes === 0) return { value: '0', unit: 'MiB' };
  if (bytes % MiB === 0) return { value: String(bytes / MiB), unit: 'MiB' };
  return { value: String(Math.round(bytes / KiB)), unit: 'KiB' };
}

/** The typed value in bytes/s; undefined when it is not a number of at least 0. */
export function joinLimit(value: string, unit: Unit): number | undefined {
  const n = Number(value.trim() === '' ? '0' : value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * (unit === 'MiB' ? MiB : KiB));
}

/**
 * A speed limit: a number with its unit, and presets beside it. Calls `onChange` with bytes/s
 * (0 = no limit) whenever the value is a valid number; `invalid` while it is not.
 */
export function SpeedLimitInput({ bytes, onChange, label, id }: { bytes: number; onChange: (bytes: number | undefined) => void; label: string; id: string }) {
  const i18n = useI18n();
  const [draft, setDraft] = useState(() => splitLimit(bytes));
  useEffect(() => setDraft((d) => (joinLimit(d.value, d.unit) === bytes ? d : splitLimit(bytes))), [bytes]);
  const set = (next: { value: string; unit: Unit }): void => {
    setDraft(next);
    onChange(joinLimit(next.value, next.unit));
  };
  const current = joinLimit(draft.value, draft.unit);
  return (
    <div className="limit-input">
      <div className="with-unit">
        <input id={id} aria-label={label} inputMode="decimal" value={draft.value} aria-invalid={current === undefined} onChange={(e) => set({ ...draft, value: e.target.value })} />
        <select aria-label={i18n.t('limit.unit')} value={draft.unit} onChange={(e) => set({ ...draft, unit: e.target.value as Unit })}>
          <option value="KiB">KiB/s</option>
          <option value="MiB">MiB/s</option>
        </select>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a set of form fields */}
      <div className="presets" role="group" aria-label={i18n.t('limit.presets')}>
        {LIMIT_PRESETS.map((p) => (
          <button key={p} type="button" aria-pressed={current === p} onClick={() => set(splitLimit(p))}>
            {p === 0 ? i18n.t('limit.none') : i18n.speed(p)}
          </button>
        ))}
      </div>
    </div>
  );
}
