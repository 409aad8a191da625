/**
 * Which downloads are selected, as a desktop list does it: a click selects one, Ctrl/Cmd+click
 * toggles one, Shift+click (or Shift+arrow) extends from the anchor, Ctrl+A selects all. Pure:
 * each step takes the ids in their shown order and returns the next selection.
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** Where a Shift range starts. */
  readonly anchor: string | undefined;
  /** The row the keyboard is on. */
  readonly focus: string | undefined;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: undefined, focus: undefined };

export interface ClickModifiers {
  shift: boolean;
  /** Ctrl, or Cmd on macOS. */
  toggle: boolean;
}

export function clickRow(sel: Selection, id: string, mods: ClickModifiers, order: readonly string[]): Selection {
  if (mods.shift && sel.anchor !== undefined && order.includes(sel.anchor)) {
    const range = between(order, sel.anchor, id);
    const ids = mods.toggle ? new Set([...sel.ids, ...range]) : new Set(range);
    return { ids, anchor: sel.anchor, focus: id };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, focus: id };
  }
  return { ids: new Set([id]), anchor: id, focus: id };
}

/** Selects the row for a right-click: kept as is when it is already part of the selection. */
export function contextRow(sel: Selection, id: string): Selection {
  return sel.ids.has(id) ? { ...sel, focus: id } : { ids: new Set([id]), anchor: id, focus: id };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0], focus: order.at(-1) };
}

/** Arrow keys (and Home/End as ±Infinity): moves the focus, selecting it, or extending with Shift. */
export function moveFocus(sel: Selection, delta: number, shift: boolean, order: readonly string[]): Selection {
  if (order.length === 0) return EMPTY_SELECTION;
  const at = sel.focus === undefined ? -1 : order.indexOf(sel.focus);
  const start = at < 0 ? (delta > 0 ? -1 : order.length) : at;
  const next = Math.max(0, Math.min(order.length - 1, start + (Number.isFinite(delta) ? delta : delta > 0 ? order.length : -order.length)));
  const id = order[next] as string;
  return clickRow(sel, id, { shift, toggle: false }, order);
}

/** Drops ids no longer shown (removed, or filtered out). */
export function prune(sel: Selection, order: readonly string[]): Selection {
  const shown = new Set(order);
  const ids = [...sel.ids].filter((id) => shown.has(id));
  if (ids.length === sel.ids.size && (sel.focus === undefined || shown.has(sel.focus))) return sel;
  return { ids: new Set(ids), anchor: sel.anchor !== undefined && shown.has(sel.anchor) ? sel.anchor : ids[0], focus: sel.focus !== undefined && shown.has(sel.focus) ? sel.focus : ids.at(-1) };
}

function between(order: readonly string[], a: string, b: string): string[] {
  const i = order.indexOf(a);
  const j = order.indexOf(b);
  return order.slice(Math.min(i, j), Math.max(i, j) + 1);
}
