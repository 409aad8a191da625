import { HAUL_VERSION } from '../shared/version.ts';

export type Target = 'chromium' | 'firefox';

/** The Firefox add-on id (stable, so an update replaces the installed add-on). */
export const GECKO_ID = 'haul-extension@haul.dev';

/**
 * One manifest source for both browsers (Manifest V3). Chromium runs the background as a
 * service worker; Firefox as an event page (background scripts), which it supports in MV3.
 * Host access is loopback only for Haul, plus every site for capture (cookies, the page's links).
 */
export function manifestFor(target: Target): Record<string, unknown> {
  const common = {
    manifest_version: 3,
    name: 'Haul',
    short_name: 'Haul',
    version: HAUL_VERSION,
    description: 'Hands your downloads to Haul, the careful download manager, with the cookies that let them work.',
    icons: { 16: 'icons/16.png', 48: 'icons/48.png', 128: 'icons/128.png' },
    action: { default_popup: 'popup.html', default_title: 'Haul', default_icon: { 16: 'icons/16.png', 48: 'icons/48.png' } },
    options_ui: { page: 'options.html', open_in_tab: true },
    permissions: ['downloads', 'cookies', 'storage', 'contextMenus', 'notifications', 'webRequest', 'scripting', 'activeTab'],
    host_permissions: ['<all_urls>'],
    content_scripts: [{ matches: ['<all_urls>'], js: ['content.js'], run_at: 'document_start', all_frames: true }],
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'none'" },
  };
  if (target === 'chromium') return { ...common, minimum_chrome_version: '116', background: { service_worker: 'background.js' } };
  return {
    ...common,
    background: { scripts: ['background.js'] },
    browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } } },
  };
}
