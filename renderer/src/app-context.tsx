import { createContext, useContext } from 'react';
import type { Role } from '../../shared/accounts-api.ts';
import type { DesktopApi } from '../../shared/desktop-api.ts';
import type { ApiClient } from './api/api-client.ts';
import type { DownloadStore } from './state/download-store.ts';

export interface AppServices {
  store: DownloadStore;
  api: ApiClient;
  /** Present only in the desktop app. */
  desktop: DesktopApi | undefined;
  /** Who is signed in, when accounts are on (absent with the data folder's token, or without accounts). */
  user?: { name: string; role: Role } | undefined;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (services === null) throw new Error('useServices outside <AppContext.Provider>');
  return services;
}
