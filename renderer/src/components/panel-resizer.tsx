import { useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

export const PANEL_MIN = 260;
export const PANEL_MAX = 640;
const STEP = 20;

/**
 * The edge between the list and the detail panel: dragged with the mouse, or moved with the
 * arrow keys (Home and End for the narrowest and widest), it sets the panel's width.
 */
export function PanelResizer({ width, onWidth }: { width: number; onWidth: (width: number) => void }) {
  const i18n = useI18n();
  const start = useRef<{ x: number; width: number } | undefined>(undefined);
  const clamp = (w: number): number => Math.round(Math.min(PANEL_MAX, Math.max(PANEL_MIN, w)));
  const down = (e: ReactPointerEvent<HTMLDivElement>): void => {
    start.current = { x: e.clientX, width };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  // The panel is on the right: moving the edge left widens it.
  const move = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (start.current !== undefined) onWidth(clamp(start.current.width + start.current.x - e.clientX));
  };
  const up = (): void => {
    start.current = undefined;
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, movable separator has no native element (an <hr> cannot take focus)
    <div
      className="panel-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={i18n.t('detail.resize')}
      aria-valuemin={PANEL_MIN}
      aria-valuemax={PANEL_MAX}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={(e) => {
        const next = e.key === 'ArrowLeft' ? width + STEP : e.key === 'ArrowRight' ? width - STEP : e.key === 'Home' ? PANEL_MIN : e.key === 'End' ? PANEL_MAX : undefined;
        if (next === undefined) return;
        e.preventDefault();
        onWidth(clamp(next));
      }}
    />
  );
}
