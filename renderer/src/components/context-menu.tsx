import { useEffect, useLayoutEffect, useRef, useState } from 'react';

export type MenuItem = { kind: 'item'; label: string; onSelect: () => void; danger?: boolean } | { kind: 'separator' };

/**
 * A right-click menu at (x, y), kept on screen. Arrow keys move, Enter chooses, Escape or a
 * click elsewhere closes; focus goes to the first item as in native menus.
 */
export function ContextMenu({ x, y, items, label, onClose }: { x: number; y: number; items: MenuItem[]; label: string; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ left: x, top: y });
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const { width, height } = el.getBoundingClientRect();
    setPlace({ left: Math.max(4, Math.min(x, window.innerWidth - width - 4)), top: Math.max(4, Math.min(y, window.innerHeight - height - 4)) });
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [x, y]);
  useEffect(() => {
    const away = (event: MouseEvent): void => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    const blur = (): void => onClose();
    document.addEventListener('mousedown', away);
    window.addEventListener('blur', blur);
    window.addEventListener('resize', blur);
    return () => {
      document.removeEventListener('mousedown', away);
      window.removeEventListener('blur', blur);
      window.removeEventListener('resize', blur);
    };
  }, [onClose]);
  const onKeyDown = (event: React.KeyboardEvent): void => {
    const entries = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const go = (i: number): void => entries[(i + entries.length) % entries.length]?.focus();
    if (event.key === 'ArrowDown') go(at + 1);
    else if (event.key === 'ArrowUp') go(at - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(-1);
    else if (event.key === 'Escape' || event.key === 'Tab') onClose();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={label} style={place} onKeyDown={onKeyDown}>
      {items.map((item, i) =>
        item.kind === 'separator' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: separators have no identity of their own
          <hr key={`sep-${i}`} className="menu-separator" />
        ) : (
          <button
            key={item.label}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={item.danger === true ? 'danger' : ''}
            onClick={() => {
              onClose();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        ),
      )}
    </div>
  );
}
