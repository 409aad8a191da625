import { DAYS, type Day, type Schedule, type ScheduleWindow } from '../../../shared/schedule.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { KibLimitInput } from './kib-limit-input.tsx';

const NEW_WINDOW: ScheduleWindow = { days: [...DAYS], start: '01:00', end: '07:00', speedLimit: null };
/** A Monday, to name the days in the reader's language. */
const A_MONDAY = Date.UTC(2026, 0, 5);

/** The download windows of Settings: rows of days and hours, each with its own limit; off means any time. */
export function ScheduleEditor({ value, onChange }: { value: Schedule | null; onChange: (next: Schedule | null) => void }) {
  const i18n = useI18n();
  const dayName = (i: number): string => new Date(A_MONDAY + i * 86_400_000).toLocaleDateString(i18n.locale, { weekday: 'short', timeZone: 'UTC' });
  const windows = value?.windows ?? [];
  const change = (i: number, patch: Partial<ScheduleWindow>): void => onChange({ windows: windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  const toggleDay = (i: number, day: Day, on: boolean): void => {
    const days = windows[i]?.days ?? [];
    change(i, { days: on ? DAYS.filter((d) => d === day || days.includes(d)) : days.filter((d) => d !== day) });
  };
  return (
    <fieldset className="schedule">
      <label className="check">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? { windows: [NEW_WINDOW] } : null)} />
        <span>{i18n.t('settings.schedule')}</span>
      </label>
      {windows.map((w, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a window has no identity beyond its place in the list
        <fieldset className="schedule-window" key={i} aria-label={`${i18n.t('settings.schedule')} ${i + 1}`}>
          <span className="schedule-days">
            {DAYS.map((day, d) => (
              <label key={day} className="day">
                <input type="checkbox" checked={w.days.includes(day)} onChange={(e) => toggleDay(i, day, e.target.checked)} />
                <span>{dayName(d)}</span>
              </label>
            ))}
          </span>
          <label>
            <span>{i18n.t('settings.scheduleFrom')}</span>
            <input type="time" value={w.start} onChange={(e) => change(i, { start: e.target.value })} />
          </label>
          <label>
            <span>{i18n.t('settings.scheduleTo')}</span>
            <input type="time" value={w.end} onChange={(e) => change(i, { end: e.target.value })} />
          </label>
          <label htmlFor={`schedule-limit-${i}`}>
            <span>{i18n.t('settings.scheduleLimit')}</span>
            <KibLimitInput
              id={`schedule-limit-${i}`}
              bytes={w.speedLimit ?? undefined}
              onChange={(bytes) => change(i, { speedLimit: bytes === undefined ? null : Math.max(1, Math.round(bytes / 1024)) * 1024 })}
            />
          </label>
          <button type="button" onClick={() => onChange(windows.length === 1 ? null : { windows: windows.filter((_, j) => j !== i) })}>
            {i18n.t('settings.scheduleRemove')}
          </button>
        </fieldset>
      ))}
      {value !== null && (
        <button type="button" onClick={() => onChange({ windows: [...windows, NEW_WINDOW] })}>
          {i18n.t('settings.scheduleAdd')}
        </button>
      )}
    </fieldset>
  );
}
