import { useRef } from 'react';

/**
 * Stable React keys for the rows of a list being edited, which have no identity of their own: a
 * removed row takes its key with it, so the rows after it keep their fields' state.
 */
export function useRowKeys(count: number): { keys: number[]; added: () => void; removed: (index: number) => void } {
  const next = useRef(count);
  const keys = useRef(Array.from({ length: count }, (_, i) => i));
  return {
    keys: keys.current,
    added: () => {
      keys.current = [...keys.current, next.current++];
    },
    removed: (index) => {
      keys.current = keys.current.filter((_, i) => i !== index);
    },
  };
}
