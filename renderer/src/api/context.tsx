import { createContext, useContext } from 'react';
import type { AppInfo, ScanDeskClient } from '../../../shared/contract';
import type { Locale, Translate } from '../i18n/i18n';

export interface AppContextValue {
  client: ScanDeskClient;
  info: AppInfo;
  t: Translate;
  locale: Locale;
  /** Shows an error the user can act on (an ApiError's message is written for people). */
  reportError: (e: unknown) => void;
  notify: (message: string) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside AppContext');
  return v;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
