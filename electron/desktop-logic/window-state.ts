import fs from 'node:fs';
import path from 'node:path';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { bounds: { x: -1, y: -1, width: 1100, height: 720 }, maximized: false };
const MIN = { width: 640, height: 420 };

/**
 * The last window size and position, restored only if it is still on a connected display
 * (a monitor may be gone); otherwise the default size, centred by the shell.
 */
export function restoreState(saved: unknown, displays: readonly Bounds[]): WindowState & { centre: boolean } {
  const state = parse(saved);
  if (state === undefined) return { ...DEFAULT_WINDOW, centre: true };
  const { bounds } = state;
  const visible = displays.some((d) => overlap(bounds, d) >= Math.min(bounds.width * bounds.height, 100 * 100));
  const width = Math.max(MIN.width, bounds.width);
  const height = Math.max(MIN.height, bounds.height);
  return visible
    ? { bounds: { ...bounds, width, height }, maximized: state.maximized, centre: false }
    : { bounds: { ...DEFAULT_WINDOW.bounds, width, height }, maximized: state.maximized, centre: true };
}

function parse(value: unknown): WindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { bounds, maximized } = value as Partial<WindowState>;
  if (typeof bounds !== 'object' || bounds === null) return undefined;
  const numbers = [bounds.x, bounds.y, bounds.width, bounds.height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (bounds.width <= 0 || bounds.height <= 0) return undefined;
  return { bounds, maximized: maximized === true };
}

function overlap(a: Bounds, b: Bounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function loadState(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function saveState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(state)}\n`);
}
