/**
 * The web app: signs the person in, asks the API who they are, and opens the area of their role —
 * the enterprise portal (企业端), the reviewer workbench (审核端) or the department dashboard
 * (管理端; reviewers may open it too). Each area is a chunk of its own, loaded only for the role
 * that uses it. Chinese first; the language switch is kept per browser.
 */
import { type ComponentType, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiOf } from './api.ts';
import type { AppContext, Me } from './app-context.ts';
import { type Lang, translate } from './messages.ts';
import { bearerToken, loadConfig, signOut, type WebConfig } from './sign-in.ts';
import './style.css';

type Area = 'portal' | 'workbench' | 'dashboard';

const AREAS_OF_ROLE: Record<Me['role'], readonly Area[]> = {
  enterprise: ['portal'],
  reviewer: ['workbench', 'dashboard'],
  department: ['dashboard'],
  administrator: [],
};

const LOADERS: Record<Area, () => Promise<{ default: ComponentType<{ context: AppContext }> }>> = {
  portal: () => import('./portal/index.tsx'),
  workbench: () => import('./workbench/index.tsx'),
  dashboard: () => import('./dashboard/index.tsx'),
};

const AREA_TITLE: Record<Area, string> = { portal: 'areaPortal', workbench: 'areaWorkbench', dashboard: 'areaDashboard' };

const initialLang = (): Lang => (localStorage.getItem('evidence.lang') === 'en' ? 'en' : 'zh');

function areaOf(me: Me): Area | undefined {
  const asked = new URLSearchParams(location.search).get('area') as Area | null;
  const allowed = AREAS_OF_ROLE[me.role];
  return asked && allowed.includes(asked) ? asked : allowed[0];
}

function App({ config, me }: { config: WebConfig; me: Me }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [area, setArea] = useState<Area | undefined>(() => areaOf(me));
  const [Loaded, setLoaded] = useState<ComponentType<{ context: AppContext }> | undefined>(undefined);
  const t = (key: string, params?: Readonly<Record<string, string | number>>) => translate(lang, key, params);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
    localStorage.setItem('evidence.lang', lang);
  }, [lang]);
  useEffect(() => {
    setLoaded(undefined);
    if (area) void LOADERS[area]().then((module) => setLoaded(() => module.default));
  }, [area]);
  const context: AppContext = { api: apiOf(config), me, lang, t };
  return (
    <>
      <header class="top">
        <h1>{t('appTitle')}</h1>
        <nav aria-label={t('appTitle')}>
          {AREAS_OF_ROLE[me.role].length > 1 &&
            AREAS_OF_ROLE[me.role].map((a) => (
              <button type="button" key={a} aria-pressed={a === area} onClick={() => setArea(a)}>
                {t(AREA_TITLE[a])}
              </button>
            ))}
        </nav>
        <span class="who" data-testid="who">
          {t('signedInAs', { name: me.name })}
          {me.jurisdiction ? ` · ${me.jurisdiction.name}` : ''}
        </span>
        <button type="button" title={t('languageLabel')} lang={lang === 'zh' ? 'en' : 'zh'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
        <button type="button" onClick={() => void signOut(config)}>
          {t('signOut')}
        </button>
      </header>
      <main id="main">
        {!area ? <p role="alert">{t('noArea', { role: me.role })}</p> : Loaded ? <Loaded context={context} /> : <p role="status">{t('loading')}</p>}
      </main>
    </>
  );
}

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  // Signed in before anything else: coming back from the sign-in page restores the address asked for.
  await bearerToken(config);
  const me = await apiOf(config).json<Me>('/me');
  // Preact keeps children it did not render: the static "loading" line would stay under the app.
  root.replaceChildren();
  render(<App config={config} me={me} />, root);
}

const root = document.getElementById('app') as HTMLElement;
start(root).catch((error: unknown) => {
  root.innerHTML = '';
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = translate(initialLang(), 'error', { message: error instanceof Error ? error.message : String(error) });
  root.append(p);
});
