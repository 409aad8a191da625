import { describe, expect, it } from 'vitest';
import { clickRow, contextRow, EMPTY_SELECTION, moveFocus, prune, selectAll } from '../../renderer/src/state/selection.ts';

const order = ['a', 'b', 'c', 'd', 'e'];
const ids = (sel: { ids: ReadonlySet<string> }) => [...sel.ids].sort();
const plain = { shift: false, toggle: false };

describe('selecting rows as a desktop list does', () => {
  it('selects one on click, toggles with Ctrl/Cmd, extends from the anchor with Shift', () => {
    let sel = clickRow(EMPTY_SELECTION, 'b', plain, order);
    expect(ids(sel)).toEqual(['b']);
    sel = clickRow(sel, 'd', { shift: true, toggle: false }, order);
    expect(ids(sel)).toEqual(['b', 'c', 'd']);
    sel = clickRow(sel, 'a', { shift: true, toggle: false }, order);
    expect(ids(sel)).toEqual(['a', 'b']);
    sel = clickRow(sel, 'e', { shift: false, toggle: true }, order);
    expect(ids(sel)).toEqual(['a', 'b', 'e']);
    sel = clickRow(sel, 'a', { shift: false, toggle: true }, order);
    expect(ids(sel)).toEqual(['b', 'e']);
    expect(sel.anchor).toBe('a');
  });

  it('keeps a selection a right-click lands in, and replaces it otherwise', () => {
    const sel = selectAll(order);
    expect(ids(contextRow(sel, 'c'))).toEqual(order);
    expect(ids(contextRow(clickRow(sel, 'a', plain, order), 'c'))).toEqual(['c']);
  });

  it('moves with the arrows, extends with Shift, jumps with Home and End, and stays in bounds', () => {
    let sel = moveFocus(EMPTY_SELECTION, 1, false, order);
    expect(sel.focus).toBe('a');
    sel = moveFocus(sel, 1, true, order);
    sel = moveFocus(sel, 1, true, order);
    expect(ids(sel)).toEqual(['a', 'b', 'c']);
    sel = moveFocus(sel, Number.POSITIVE_INFINITY, false, order);
    expect(ids(sel)).toEqual(['e']);
    expect(moveFocus(sel, 5, false, order).focus).toBe('e');
    expect(moveFocus(sel, Number.NEGATIVE_INFINITY, false, order).focus).toBe('a');
    expect(moveFocus(sel, -1, false, [])).toEqual(EMPTY_SELECTION);
  });

  it('forgets rows that are no longer shown', () => {
    const sel = clickRow(clickRow(EMPTY_SELECTION, 'b', plain, order), 'd', { shift: true, toggle: false }, order);
    const pruned = prune(sel, ['a', 'c', 'e']);
    expect(ids(pruned)).toEqual(['c']);
    expect(pruned.focus).toBe('c');
    expect(prune(pruned, ['a', 'c', 'e'])).toBe(pruned);
  });
});
