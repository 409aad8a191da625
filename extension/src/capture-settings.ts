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
