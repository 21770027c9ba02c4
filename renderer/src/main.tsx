import { createRoot } from 'react-dom/client';
import { createClient, type AppInfo, type Settings } from '../../shared/contract';
import { App, applyTheme, initialLocale } from './App';
import { loadApi } from './bridge-loader';
import { translator } from './i18n/i18n';
import './styles.css';

async function boot() {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const api = await loadApi().catch(() => null);
  if (!api) {
    const t = translator(initialLocale(null));
    root.render(<p className="fatal" role="alert">{t('app.error.noBridge')}</p>);
    return;
  }
  const client = createClient(api);
  let info: AppInfo;
  let settings: Settings;
  try {
    [info, settings] = await Promise.all([client.call('app.info'), client.call('settings.get')]);
  } catch (e) {
    const t = translator(initialLocale(null));
    root.render(<p className="fatal" role="alert">{`${t('app.error.noBridge')} (${e instanceof Error ? e.message : String(e)})`}</p>);
    return;
  }
  applyTheme(settings.theme);
  root.render(<App client={client} info={info} initialLocale={initialLocale(settings.language)} initialTheme={settings.theme} />);
}

void boot();
