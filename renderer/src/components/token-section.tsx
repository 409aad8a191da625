import { useEffect, useState } from 'react';
import type { TokenView } from '../../../shared/accounts-api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * A signed-in user's API tokens for scripts, `haul add --token` and the extension: a new one is
 * shown once, when made; each is listed with its label, when it was made and last used, and
 * can be revoked alone.
 */
export function TokenSection({ onError }: { onError: (e: unknown) => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [made, setMade] = useState<string | undefined>(undefined);
  const [tokens, setTokens] = useState<TokenView[] | undefined>(undefined);
  useEffect(() => {
    api.tokens().then((r) => setTokens(r.tokens), onError);
  }, [api, onError]);
  const create = (): void =>
    void api
      .createToken('Settings')
      .then((r) => {
        setMade(r.token);
        return api.tokens().then((list) => setTokens(list.tokens));
      })
      .catch(onError);
  const revoke = (id: string): void =>
    void api
      .revokeToken(id)
      .then(() => setTokens((list) => list?.filter((t) => t.id !== id)))
      .catch(onError);
  return (
    <section className="paired" aria-label={i18n.t('token.title')}>
      <h3>{i18n.t('token.title')}</h3>
      <p className="muted">{i18n.t('token.hint')}</p>
      {tokens !== undefined && tokens.length > 0 && (
        <ul>
          {tokens.map((t) => (
            <li key={t.id}>
              <span>
                {t.label}{' '}
                <span className="muted">
                  {i18n.t('token.made', { date: i18n.date(t.createdAt) })} · {t.lastUsed === null ? i18n.t('token.neverUsed') : i18n.t('token.lastUsed', { date: i18n.date(t.lastUsed) })}
                </span>
              </span>
              <button type="button" aria-label={i18n.t('token.revokeLabel', { label: t.label, date: i18n.date(t.createdAt) })} onClick={() => revoke(t.id)}>
                {i18n.t('paired.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {made === undefined ? (
        <button type="button" onClick={create}>
          {i18n.t('token.create')}
        </button>
      ) : (
        <input ref={(el) => el?.focus()} readOnly aria-label={i18n.t('token.title')} value={made} onFocus={(e) => e.currentTarget.select()} />
      )}
    </section>
  );
}
