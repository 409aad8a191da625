import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useMeta } from '../state/download-store.ts';

/**
 * A browser asks to pair: its code is shown here, in Haul's own window, and nowhere else.
 * The user types it into the extension; a code that appears anywhere else is not Haul's.
 */
export function PairingPrompt({ onError }: { onError: (e: unknown) => void }) {
  const { store, api } = useServices();
  const i18n = useI18n();
  const pairings = useMeta(store, (s) => s.pairings);
  if (pairings.length === 0) return null;
  return (
    <section className="pairing" aria-label={i18n.t('pair.label')}>
      {pairings.map((p) => (
        <div key={p.pairingId} className="pairing-item" role="alert">
          <p>{i18n.t('pair.asks', { browser: p.browser })}</p>
          <output className="pairing-code" aria-label={i18n.t('pair.codeLabel')}>
            {p.code.slice(0, 3)} {p.code.slice(3)}
          </output>
          <p className="muted">{i18n.t('pair.hint')}</p>
          <button type="button" onClick={() => void api.refusePairing(p.pairingId).catch(onError)}>
            {i18n.t('pair.refuse')}
          </button>
        </div>
      ))}
    </section>
  );
}
