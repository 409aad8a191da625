import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'haul.theme';
const DARK = '(prefers-color-scheme: dark)';

/** The theme chosen on this device (kept in the browser's storage); the system's by default. */
export function storedTheme(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  const value = storage.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/**
 * Sets `data-theme` on the page to the theme that applies: the one chosen, or the system's,
 * following the system while "system" is chosen. Returns a disposer that stops following.
 */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement, media: MediaQueryList = matchMedia(DARK)): () => void {
  const set = (): void => {
    root.dataset['theme'] = choice === 'system' ? (media.matches ? 'dark' : 'light') : choice;
  };
  set();
  if (choice !== 'system') return () => undefined;
  media.addEventListener('change', set);
  return () => media.removeEventListener('change', set);
}

/** The theme choice as React state: applied to the page and remembered on this device. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => storedTheme());
  useEffect(() => applyTheme(choice), [choice]);
  const choose = (next: ThemeChoice): void => {
    localStorage.setItem(STORAGE_KEY, next);
    setChoice(next);
  };
  return [choice, choose];
}
