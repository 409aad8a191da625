import { DEFAULT_SETTINGS, type CaptureSettings } from './capture-settings.ts';

export type { CaptureSettings };

/** The connection to Haul, once paired. */
export interface Pairing {
  base: string;
  token: string;
  browserId: string;
}

export async function loadSettings(): Promise<CaptureSettings> {
  const { settings } = (await chrome.storage.local.get('settings')) as { settings?: Partial<CaptureSettings> };
  return { ...DEFAULT_SETTINGS, ...settings };
}

export async function saveSettings(settings: CaptureSettings): Promise<void> {
  await chrome.storage.local.set({ settings });
}

export async function loadPairing(): Promise<Pairing | undefined> {
  const { pairing } = (await chrome.storage.local.get('pairing')) as { pairing?: Pairing };
  return pairing;
}

export async function savePairing(pairing: Pairing | undefined): Promise<void> {
  if (pairing === undefined) await chrome.storage.local.remove('pairing');
  else await chrome.storage.local.set({ pairing });
}
