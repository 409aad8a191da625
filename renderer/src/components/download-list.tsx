import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useListVersion } from '../state/download-store.ts';
import { matchesFilter, matchesSearch, type Filter } from '../state/status-view.ts';
import { DownloadRow } from './download-row.tsx';
import { EmptyState } from './empty-state.tsx';

/** A row's usual height; rows with a message line are measured as they render. */
const ROW_HEIGHT = 86;

/**
 * The list, virtualised: only the rows on screen exist, so 10,000 downloads scroll like 10.
 * It recomputes its ids only when membership, a status or a name changes; progress re-renders
 * just the visible rows that moved.
 */
export function DownloadList({ filter, search, onError }: { filter: Filter; search: string; onError: (error: unknown) => void }) {
  const { store } = useServices();
  const i18n = useI18n();
  const version = useListVersion(store);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the store's change signal
  const ids = useMemo(
    () =>
      store
        .all()
        .filter((d) => matchesFilter(d, filter) && matchesSearch(d, search))
        .map((d) => d.id)
        .reverse(),
    [store, version, filter, search],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 6, getItemKey: (index) => ids[index] ?? index });
  if (ids.length === 0) {
    return store.all().length === 0 ? <EmptyState /> : <p className="empty-filtered">{i18n.t('empty.filtered')}</p>;
  }
  return (
    <div className="list" ref={scroller} role="list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} role="listitem" className="list-item" data-index={item.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${item.start}px)` }}>
            <DownloadRow id={ids[item.index] ?? ''} onError={onError} />
          </div>
        ))}
      </div>
    </div>
  );
}
