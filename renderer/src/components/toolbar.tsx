import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { FILTERS, type Filter } from '../state/status-view.ts';
import { useConfirm } from './dialogs.tsx';

export function Toolbar(props: {
  filter: Filter;
  setFilter: (f: Filter) => void;
  search: string;
  setSearch: (s: string) => void;
  onError: (error: unknown) => void;
  detailOpen: boolean;
  setDetailOpen: (open: boolean) => void;
}) {
  const { api, store } = useServices();
  const i18n = useI18n();
  const confirm = useConfirm();
  const act = (fn: () => Promise<unknown>) => () => void fn().catch(props.onError);
  const removeFailed = async (): Promise<void> => {
    const count = store.all().filter((d) => d.status === 'failed').length;
    if (count === 0) return;
    const answer = await confirm({ title: i18n.t('bulk.removeFailedTitle', { count }), body: i18n.t('bulk.removeFailedBody'), confirmLabel: i18n.t('action.remove'), danger: true });
    if (answer.ok) await api.removeFailed();
  };
  return (
    <div className="toolbar">
      {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a set of form fields */}
      <div className="segmented" role="group" aria-label={i18n.t('filter.label')}>
        {FILTERS.map((f) => (
          <button key={f} type="button" aria-pressed={props.filter === f} className={props.filter === f ? 'selected' : ''} onClick={() => props.setFilter(f)}>
            {i18n.t(`filter.${f}`)}
          </button>
        ))}
      </div>
      <input className="search" type="search" value={props.search} onChange={(e) => props.setSearch(e.target.value)} placeholder={i18n.t('search.placeholder')} aria-label={i18n.t('search.label')} />
      <div className="bulk">
        <button type="button" onClick={act(api.pauseAll)}>
          {i18n.t('bulk.pauseAll')}
        </button>
        <button type="button" onClick={act(api.resumeAll)}>
          {i18n.t('bulk.resumeAll')}
        </button>
        <button type="button" onClick={act(api.retryFailed)}>
          {i18n.t('bulk.retryFailed')}
        </button>
        <button type="button" onClick={act(removeFailed)}>
          {i18n.t('bulk.removeFailed')}
        </button>
        <button type="button" onClick={act(api.clearCompleted)}>
          {i18n.t('bulk.clearCompleted')}
        </button>
        <button type="button" aria-pressed={props.detailOpen} onClick={() => props.setDetailOpen(!props.detailOpen)}>
          {i18n.t('bulk.details')}
        </button>
      </div>
    </div>
  );
}
