import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { etaSeconds, formatBytes, formatDuration } from '../../../shared/units.ts';
import { errorText } from './error-text.ts';
import { CATALOGS, interpolate, pickLocale, type Locale, type MessageKey } from './messages.ts';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** An error (wire, API or thrown) in this locale's words, keeping the server's detail. */
  error(error: unknown): string;
  bytes(n: number): string;
  speed(n: number): string;
  number(n: number): string;
  percent(fraction: number): string;
  duration(seconds: number): string;
  eta(received: number, total: number | null, speed: number): string | undefined;
  date(iso: string): string;
  /** A list's "added" column: the time for today, the date otherwise. */
  shortDate(iso: string): string;
  /** A log line's time of day, with seconds. */
  time(iso: string): string;
}

const STORAGE_KEY = 'haul.locale';

/** Builds the formatters for one locale: sizes, speeds, numbers, durations, dates via Intl. */
export function makeI18n(locale: Locale, setLocale: (locale: Locale) => void = () => undefined): I18n {
  const catalog = CATALOGS[locale];
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const hours = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const seconds = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const DurationFormat = (Intl as unknown as { DurationFormat?: new (l: string, o: object) => { format(d: object): string } }).DurationFormat;
  const durations = DurationFormat === undefined ? undefined : new DurationFormat(locale, { style: 'narrow' });
  const duration = (seconds: number): string => {
    const s = Math.max(0, Math.round(seconds));
    if (durations === undefined) return formatDuration(s);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const parts = h > 0 ? { hours: h, minutes: m } : m > 0 ? { minutes: m, seconds: s % 60 } : { seconds: s };
    return durations.format(parts);
  };
  return {
    locale,
    setLocale,
    t: (key, params) => interpolate(catalog[key], params, locale),
    error: (error) => errorText(locale, error),
    bytes: (n) => formatBytes(n, locale),
    speed: (n) => `${formatBytes(n, locale)}/s`,
    number: (n) => numbers.format(n),
    percent: (f) => percents.format(f),
    duration,
    eta: (received, total, speed) => {
      const s = etaSeconds(received, total, speed);
      return s === undefined ? undefined : duration(s);
    },
    date: (iso) => dates.format(new Date(iso)),
    shortDate: (iso) => {
      const when = new Date(iso);
      return when.toDateString() === new Date().toDateString() ? hours.format(when) : days.format(when);
    },
    time: (iso) => seconds.format(new Date(iso)),
  };
}

const I18nContext = createContext<I18n>(makeI18n('en'));

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? storedLocale() ?? pickLocale(navigator.languages ?? [navigator.language]));
  const value = useMemo(
    () =>
      makeI18n(locale, (next) => {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // Private windows may refuse storage; the choice then lasts for this page only.
        }
        setLocaleState(next);
      }),
    [locale],
  );
  document.documentElement.lang = locale;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function storedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'zh-CN' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
