import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { LOCALE_NAMES, LOCALES, type Locale } from '../i18n/messages.ts';
import { useMeta } from '../state/download-store.ts';
import { clockTime } from '../state/status-view.ts';
import { THEME_CHOICES, useTheme, type ThemeChoice } from '../theme.ts';
import { Icon } from './icons.tsx';

export function Header({ onSettings }: { onSettings: () => void }) {
  const { store, api, user } = useServices();
  const i18n = useI18n();
  const totals = useMeta(store, (s) => s.totals);
  const limit = useMeta(store, (s) => s.settings?.speedLimit ?? 0);
  const [theme, setTheme] = useTheme();
  return (
    <header className="header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          <Icon name="download" />
        </span>
        <h1>{i18n.t('app.title')}</h1>
      </div>
      <p className="totals" aria-live="off">
        <span>{i18n.t('totals.active', { count: i18n.number(totals.active) })}</span>
        {totals.queued > 0 && (
          <>
            <span aria-hidden="true">·</span>
            <span>{i18n.t('totals.queued', { count: i18n.number(totals.queued) })}</span>
          </>
        )}
        <span aria-hidden="true">·</span>
        <span>{i18n.t('totals.speed', { speed: i18n.speed(totals.speed) })}</span>
        {totals.nextWindow !== null && (
          <>
            <span aria-hidden="true">·</span>
            <span className="scheduled">{i18n.t('header.scheduledNext', { time: clockTime(totals.nextWindow, i18n.locale, Date.now()) })}</span>
          </>
        )}
        {limit > 0 && (
          <>
            <span aria-hidden="true">·</span>
            <span className="limit">{i18n.t('totals.limit', { speed: i18n.speed(limit) })}</span>
          </>
        )}
      </p>
      <div className="header-actions">
        {user !== undefined && (
          <span className="who">
            {user.name} <span className="muted">{i18n.t(`role.${user.role}`)}</span>
            <button type="button" onClick={() => void api.logout().then(() => location.reload())}>
              {i18n.t('login.signOut')}
            </button>
          </span>
        )}
        <select aria-label={i18n.t('theme.label')} value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
          {THEME_CHOICES.map((t) => (
            <option key={t} value={t}>
              {i18n.t(`theme.${t}`)}
            </option>
          ))}
        </select>
        <select aria-label={i18n.t('language.label')} value={i18n.locale} onChange={(e) => i18n.setLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
        <button type="button" className="icon-button" aria-label={i18n.t('settings.open')} title={i18n.t('settings.open')} onClick={onSettings}>
          <Icon name="settings" />
        </button>
      </div>
    </header>
  );
}
