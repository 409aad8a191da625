import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useMeta } from '../state/download-store.ts';

export function ConnectionBanner() {
  const { store } = useServices();
  const i18n = useI18n();
  const state = useMeta(store, (s) => s.connection);
  if (state === 'reconnecting')
    return (
      <div className="banner warn" role="status">
        {i18n.t('banner.reconnecting')}
      </div>
    );
  if (state === 'unauthorized')
    return (
      <div className="banner danger" role="alert">
        {i18n.t('banner.unauthorized')}
      </div>
    );
  return null;
}
