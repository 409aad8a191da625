/** What the user chose in the extension's options, with the defaults a new install starts from. */
export interface CaptureSettings {
  /** Hand downloads over at all. Default true. */
  enabled: boolean;
  /** Smaller downloads stay in the browser (bytes; 0 = any). Default 0. */
  minSize: number;
  /** Only these file types (extensions, no dot); empty = every type. Default empty. */
  types: string[];
  /** Sites whose downloads stay in the browser (host names; a name covers its subdomains). Default none. */
  skipSites: string[];
  /** Haul's address, when it is not at 127.0.0.1 on its default port. Default: found on 7411–7430. */
  base?: string;
}

export const DEFAULT_SETTINGS: CaptureSettings = { enabled: true, minSize: 0, types: [], skipSites: [] };

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
