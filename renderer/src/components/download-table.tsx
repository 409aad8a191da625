// biome-ignore-all lint/a11y/useSemanticElements: a virtualised ARIA grid: rows come and go as they scroll, which a <table> cannot do
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds focus and points at its row with aria-activedescendant
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { DownloadActions } from '../actions/use-download-actions.ts';
import { useServices } from '../app-context.tsx';
import { useNow } from '../hooks/use-now.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useListVersion } from '../state/download-store.ts';
import { clickRow, contextRow, moveFocus, prune, selectAll, type Selection } from '../state/selection.ts';
import { isLive, nextSort, sortDownloads, type Sort, type SortKey } from '../state/sort.ts';
import { matchesFilter, matchesSearch, type Filter } from '../state/status-view.ts';
import { EmptyState } from './empty-state.tsx';
import { TableRow, type RowHandlers } from './table-row.tsx';

/** Every row is one line: 34 px, so 15 and more fit in a 1280×800 window. */
export const ROW_HEIGHT = 34;

const COLUMNS: ReadonlyArray<{ key: SortKey; label: MessageKey; className: string }> = [
  { key: 'name', label: 'column.name', className: 'c-name' },
  { key: 'size', label: 'column.size', className: 'c-size' },
  { key: 'progress', label: 'column.progress', className: 'c-progress' },
  { key: 'speed', label: 'column.speed', className: 'c-speed' },
  { key: 'eta', label: 'column.eta', className: 'c-eta' },
  { key: 'status', label: 'column.status', className: 'c-status' },
  { key: 'added', label: 'column.added', className: 'c-added' },
];

export interface TableProps {
  filter: Filter;
  /** Only this category's downloads; null: all. */
  category: string | null;
  search: string;
  sort: Sort;
  setSort: (sort: Sort) => void;
  selection: Selection;
  setSelection: (next: Selection | ((prev: Selection) => Selection)) => void;
  actions: DownloadActions;
  onContextMenu: (ids: string[], x: number, y: number) => void;
}

/**
 * The downloads as a dense, sortable, virtualised grid: only the rows on screen exist. Ids are
 * recomputed when membership, a status or a name changes, and once a second while sorted by a
 * value that moves (speed, progress, time left); progress re-renders just the rows that moved.
 */
export function DownloadTable(props: TableProps) {
  const { store } = useServices();
  const i18n = useI18n();
  const version = useListVersion(store);
  const tick = useNow(isLive(props.sort.key));
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and tick are the store's and the clock's change signals
  const ids = useMemo(
    () =>
      sortDownloads(
        store.all().filter((d) => matchesFilter(d, props.filter) && (props.category === null || d.category === props.category) && matchesSearch(d, props.search)),
        props.sort,
      ),
    [store, version, tick, props.filter, props.category, props.search, props.sort],
  );
  const { setSelection, actions } = props;
  useEffect(() => setSelection((sel) => prune(sel, ids)), [ids, setSelection]);
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: ids.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8, getItemKey: (index) => ids[index] ?? index });
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const selectionRef = useRef(props.selection);
  selectionRef.current = props.selection;

  const handlers = useMemo<RowHandlers>(
    () => ({
      onClick: (id, e) => {
        grid.current?.focus();
        setSelection((sel) => clickRow(sel, id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }, idsRef.current));
      },
      onOpen: (id) => actions.open(id),
      onContextMenu: (id, e) => {
        e.preventDefault();
        const next = contextRow(selectionRef.current, id);
        setSelection(next);
        props.onContextMenu([...next.ids], e.clientX, e.clientY);
      },
      onRetry: (id) => actions.resume([id]),
    }),
    [actions, setSelection, props.onContextMenu],
  );

  const focusIndex = props.selection.focus === undefined ? -1 : ids.indexOf(props.selection.focus);
  useEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  const onKeyDown = useCallback(
    (event: React.KeyboardEvent<HTMLDivElement>) => {
      const sel = props.selection;
      const chosen = [...sel.ids];
      const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: Number.NEGATIVE_INFINITY, End: Number.POSITIVE_INFINITY };
      const delta = moves[event.key];
      if (delta !== undefined) setSelection(moveFocus(sel, delta, event.shiftKey, ids));
      else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) setSelection(selectAll(ids));
      else if (event.key === ' ') actions.toggle(chosen);
      else if (event.key === 'Delete' || (event.key === 'Backspace' && event.metaKey)) void actions.remove(chosen, false);
      else if (event.key === 'Enter' && sel.focus !== undefined) actions.open(sel.focus);
      else if (event.key === 'Escape') setSelection({ ids: new Set(), anchor: undefined, focus: sel.focus });
      else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
        const row = document.getElementById(`row-${sel.focus ?? ''}`)?.getBoundingClientRect();
        if (row !== undefined) props.onContextMenu(chosen, row.left + 40, row.bottom);
      } else return;
      event.preventDefault();
    },
    [props.selection, ids, actions, setSelection, props.onContextMenu],
  );

  if (ids.length === 0) {
    return store.all().length === 0 ? <EmptyState /> : <p className="empty-filtered">{i18n.t('empty.filtered')}</p>;
  }
  return (
    <div
      ref={grid}
      className="table"
      role="grid"
      aria-label={i18n.t('list.label')}
      aria-multiselectable="true"
      aria-rowcount={ids.length + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
      {...(props.selection.focus === undefined ? {} : { 'aria-activedescendant': `row-${props.selection.focus}` })}
    >
      <div role="row" className="thead">
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={c.className} aria-sort={props.sort.key === c.key ? (props.sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" onClick={() => props.setSort(nextSort(props.sort, c.key))}>
              {i18n.t(c.label)}
              {props.sort.key === c.key && <span aria-hidden="true">{props.sort.descending ? ' ▾' : ' ▴'}</span>}
            </button>
          </div>
        ))}
      </div>
      <div className="tbody" ref={scroller} role="rowgroup">
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const id = ids[item.index] ?? '';
            return (
              <div key={item.key} role="presentation" className="trow-slot" style={{ transform: `translateY(${item.start}px)` }}>
                <TableRow id={id} index={item.index + 2} selected={props.selection.ids.has(id)} focused={props.selection.focus === id} handlers={handlers} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
