import { applyTheme, storedTheme } from './theme.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DesktopApi } from '../../shared/desktop-api.ts';
import { createApiClient } from './api/api-client.ts';
import { connectEvents } from './api/event-stream.ts';
import { App } from './app.tsx';
import { AppContext } from './app-context.tsx';
import { I18nProvider, makeI18n } from './i18n/i18n.tsx';
import { pickLocale } from './i18n/messages.ts';
import { takeToken } from './connection/token.ts';
import { LoginPage } from './components/login-page.tsx';
import type { SessionInfo } from '../../shared/accounts-api.ts';
import { DownloadStore } from './state/download-store.ts';
import './styles.css';

declare global {
  interface Window {
    haulDesktop?: DesktopApi;
  }
}

async function start(): Promise<void> {
  // The chosen theme before anything is drawn (also on the sign-in page), so the page does not flash light.
  applyTheme(storedTheme());
  const root = createRoot(document.getElementById('root')!);
  const desktop = window.haulDesktop;
  const connection = desktop !== undefined ? await desktop.connection() : { url: new URL('./', location.href).href, token: takeToken(location, history, sessionStorage) };
  const api = createApiClient(connection.url, connection.token);
  let user: SessionInfo['user'];
  if (connection.token === undefined) {
    // No token in the link: with accounts on, a sign-in (or the cookie of an earlier one) will do.
    const session = await api.session().catch(() => ({ accounts: false }) as SessionInfo);
    user = session.user;
    if (!session.accounts || session.user === undefined) {
      const i18n = makeI18n(pickLocale(navigator.languages));
      root.render(
        session.accounts ? (
          <I18nProvider>
            <LoginPage api={api} />
          </I18nProvider>
        ) : (
          <p className="banner danger" role="alert">
            {i18n.t('banner.noToken', { command: document.querySelector<HTMLMetaElement>('meta[name="haul-launch"]')?.content || 'haul serve' })}
          </p>
        ),
      );
      return;
    }
  }
  const store = new DownloadStore();
  connectEvents(connection.url, connection.token, store);
  root.render(
    <StrictMode>
      <AppContext.Provider value={{ store, api, desktop, user }}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </AppContext.Provider>
    </StrictMode>,
  );
}

void start();
