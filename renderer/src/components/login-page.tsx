import { useState, type FormEvent } from 'react';
import type { ApiClient } from '../api/api-client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Icon } from './icons.tsx';

/** Signing in, when Haul has accounts: name and password; the session is a cookie the page cannot read. */
export function LoginPage({ api }: { api: ApiClient }) {
  const i18n = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      await api.login({ name: name.trim(), password });
      location.reload();
    } catch (e) {
      setError(i18n.error(e));
      setBusy(false);
    }
  }
  return (
    <main className="login">
      <form className="dialog" aria-labelledby="login-title" onSubmit={(e) => void submit(e)}>
        <h1 id="login-title" className="brand">
          <span className="logo" aria-hidden="true">
            <Icon name="download" />
          </span>
          {i18n.t('login.title')}
        </h1>
        <label>
          <span>{i18n.t('login.name')}</span>
          {/* biome-ignore lint/a11y/noAutofocus: signing in is all this page is for */}
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" autoFocus required />
        </label>
        <label>
          <span>{i18n.t('login.password')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {error !== null && (
          <p role="alert" className="add-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {i18n.t('login.submit')}
        </button>
      </form>
    </main>
  );
}
