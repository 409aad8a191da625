import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useListVersion } from '../state/download-store.ts';

/** A row of the categories the list holds: picking one shows only its downloads. Nothing while no download has a category. */
export function CategoryChips({ value, onChange }: { value: string | null; onChange: (category: string | null) => void }) {
  const { store } = useServices();
  const i18n = useI18n();
  useListVersion(store);
  const present = new Set(store.all().flatMap((d) => (d.category === undefined ? [] : [d.category])));
  const names = (store.settings?.categories ?? []).map((c) => c.name).filter((name) => present.has(name));
  if (names.length === 0) return null;
  const chip = (name: string | null, label: string) => (
    <button key={name ?? ''} type="button" aria-pressed={value === name} className={value === name ? 'chip selected' : 'chip'} onClick={() => onChange(name)}>
      {label}
    </button>
  );
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a set of form fields
    <div className="chips" role="group" aria-label={i18n.t('category.label')}>
      {chip(null, i18n.t('category.all'))}
      {names.map((name) => chip(name, name))}
    </div>
  );
}
