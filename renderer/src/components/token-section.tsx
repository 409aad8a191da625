import { useState } from 'react';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** A signed-in user's API token for scripts, `haul add --token` and the extension: shown once, when made. */
export function TokenSection({ onError }: { onError: (e: unknown) => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [token, setToken] = useState<string | undefined>(undefined);
  return (
    <section className="paired" aria-label={i18n.t('token.title')}>
      <h3>{i18n.t('token.title')}</h3>
      <p className="muted">{i18n.t('token.hint')}</p>
      {token === undefined ? (
        <button type="button" onClick={() => void api.createToken('Settings').then((r) => setToken(r.token), onError)}>
          {i18n.t('token.create')}
        </button>
      ) : (
        <input ref={(el) => el?.focus()} readOnly aria-label={i18n.t('token.title')} value={token} onFocus={(e) => e.currentTarget.select()} />
      )}
    </section>
  );
}
