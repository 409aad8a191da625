import { useServices } from '../app-context.tsx';
import { useNow } from '../hooks/use-now.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useMeta } from '../state/download-store.ts';

/** The whenDone countdown, in every window, with its Cancel: the queue is done and Haul is about to act. */
export function WhenDonePrompt({ onError }: { onError: (error: unknown) => void }) {
  const { store, api } = useServices();
  const i18n = useI18n();
  const notice = useMeta(store, (s) => s.whenDone);
  const now = useNow(notice !== null);
  if (notice === null) return null;
  const seconds = Math.max(0, Math.ceil((Date.parse(notice.at) - now) / 1000));
  return (
    <section className="when-done" role="alertdialog" aria-label={i18n.t('whenDone.label')}>
      <p>{i18n.t(`whenDone.${notice.action}`, { time: i18n.duration(seconds) })}</p>
      <button type="button" className="primary" onClick={() => void api.cancelWhenDone().catch(onError)}>
        {i18n.t('whenDone.cancel')}
      </button>
    </section>
  );
}
