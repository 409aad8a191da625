import { useI18n } from '../i18n/i18n.tsx';
import { Icon } from './icons.tsx';

export function EmptyState() {
  const i18n = useI18n();
  return (
    <section className="empty">
      <div className="empty-icon">
        <Icon name="download" />
      </div>
      <h2>{i18n.t('empty.title')}</h2>
      <p>{i18n.t('empty.body')}</p>
    </section>
  );
}
