import { useEffect, useState } from 'react';
import type { PairedBrowser } from '../../../shared/extension-api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** Settings' list of browsers paired through the extension, each revocable. */
export function PairedBrowsers({ onError }: { onError: (e: unknown) => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [browsers, setBrowsers] = useState<PairedBrowser[] | undefined>(undefined);
  useEffect(() => {
    api.pairedBrowsers().then((r) => setBrowsers(r.browsers), onError);
  }, [api, onError]);
  if (browsers === undefined) return null;
  return (
    <section className="paired" aria-label={i18n.t('paired.title')}>
      <h3>{i18n.t('paired.title')}</h3>
      {browsers.length === 0 ? (
        <p className="muted">{i18n.t('paired.none')}</p>
      ) : (
        <ul>
          {browsers.map((b) => (
            <li key={b.id}>
              <span>
                {b.browser} <span className="muted">{i18n.t('paired.since', { date: i18n.date(b.pairedAt) })}</span>
              </span>
              <button
                type="button"
                aria-label={i18n.t('paired.revokeLabel', { browser: b.browser })}
                onClick={() =>
                  void api
                    .revokeBrowser(b.id)
                    .then(() => setBrowsers((list) => list?.filter((x) => x.id !== b.id)))
                    .catch(onError)
                }
              >
                {i18n.t('paired.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
