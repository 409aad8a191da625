import { cookieHeader } from './cookies.ts';
import { ApiError, handOver } from './haul-client.ts';

export interface Offer {
  /** Unique per browser download, so a retried hand-over never adds it twice. */
  key: string;
  url: string;
  finalUrl?: string;
  referrer?: string | undefined;
  filename?: string;
  mime?: string;
  size?: number;
  /** The cookie store the download belongs to (a private window's, a container's). */
  storeId?: string | undefined;
}

/** How long the browser's download may be held while Haul answers. */
export const HOLD_MS = 12_000;

/**
 * Hands a download to Haul with what the browser would have sent for it: its cookies for the
 * requested host (from the download's own cookie store), User-Agent and Referer. Resolves with
 * the reason it could not, or undefined once Haul accepted it.
 */
export async function offerToHaul(offer: Offer): Promise<string | undefined> {
  const target = offer.finalUrl !== undefined && offer.finalUrl !== '' ? offer.finalUrl : offer.url;
  const cookie = await cookieHeader(target, offer.storeId);
  try {
    await handOver(
      {
        key: offer.key,
        url: offer.url,
        ...(target === offer.url ? {} : { finalUrl: target }),
        ...(offer.referrer === undefined || offer.referrer === '' ? {} : { referrer: offer.referrer }),
        ...(offer.filename === undefined || offer.filename === '' ? {} : { filename: offer.filename.split(/[\\/]/u).at(-1) ?? offer.filename }),
        ...(offer.mime === undefined || offer.mime === '' ? {} : { mime: offer.mime }),
        ...(offer.size === undefined || offer.size < 0 ? {} : { size: offer.size }),
        userAgent: navigator.userAgent,
        ...(cookie === '' ? {} : { cookie }),
      },
      AbortSignal.timeout(HOLD_MS),
    );
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.message : String(error);
  }
}
