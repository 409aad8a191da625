import { useRef } from 'react';

/**
 * A list being edited row by row (Settings' actions, site rules): stable React keys for rows
 * that have no identity of their own (a removed row takes its key with it, so the rows after it
 * keep their fields' state), and the edits every such list makes.
 */
export function useEditableRows<T>(value: readonly T[], onChange: (next: T[]) => void) {
  const next = useRef(value.length);
  const keys = useRef(Array.from({ length: value.length }, (_, i) => i));
  return {
    keys: keys.current,
    change: (index: number, row: T): void => onChange(value.map((r, i) => (i === index ? row : r))),
    add: (row: T): void => {
      keys.current = [...keys.current, next.current++];
      onChange([...value, row]);
    },
    remove: (index: number): void => {
      keys.current = keys.current.filter((_, i) => i !== index);
      onChange(value.filter((_, i) => i !== index));
    },
  };
}
