import { el } from './dom.ts';
import { offerToHaul } from './hand-over.ts';

/** "Download all links…": the page's links, filtered by type, sent to Haul in one go. */
const tabId = Number(new URLSearchParams(location.search).get('tab'));
const list = document.getElementById('links') as HTMLUListElement;
const filter = document.getElementById('filter') as HTMLInputElement;
const status = document.getElementById('status') as HTMLElement;
let links: Array<{ href: string; text: string }> = [];
let page = { url: '', storeId: undefined as string | undefined };

function shown(): Array<{ href: string; text: string }> {
  const types = filter.value
    .split(/[,\s]+/u)
    .map((t) => t.trim().replace(/^\./u, '').toLowerCase())
    .filter((t) => t !== '');
  return types.length === 0 ? links : links.filter((l) => types.some((t) => new URL(l.href).pathname.toLowerCase().endsWith(`.${t}`)));
}

function render(): void {
  list.replaceChildren(
    ...shown().map((l, i) => {
      const box = el('input', { type: 'checkbox', id: `l${i}`, value: l.href });
      return el('li', {}, box, ' ', el('label', { for: `l${i}` }, l.text.trim() === '' ? l.href : `${l.text.trim()} (${l.href})`));
    }),
  );
}

async function load(): Promise<void> {
  const tab = await chrome.tabs.get(tabId);
  page = { url: tab.url ?? '', storeId: (tab as { cookieStoreId?: string }).cookieStoreId ?? (tab.incognito ? '1' : '0') };
  const [result] = await chrome.scripting.executeScript({
    target: { tabId },
    func: () => [...document.querySelectorAll('a[href]')].map((a) => ({ href: (a as HTMLAnchorElement).href, text: a.textContent ?? '' })),
  });
  const seen = new Set<string>();
  links = ((result?.result as Array<{ href: string; text: string }> | undefined) ?? []).filter((l) => /^https?:/u.test(l.href) && !seen.has(l.href) && seen.add(l.href));
  render();
}

filter.addEventListener('input', render);
(document.getElementById('all') as HTMLButtonElement).addEventListener('click', () => {
  for (const box of list.querySelectorAll('input')) box.checked = true;
});
(document.getElementById('send') as HTMLButtonElement).addEventListener('click', () => {
  const chosen = [...list.querySelectorAll('input')].filter((b) => b.checked).map((b) => b.value);
  void Promise.all(chosen.map((url) => offerToHaul({ key: `picker-${tabId}-${url}`, url, referrer: page.url, storeId: page.storeId }))).then((answers) => {
    const refused = answers.filter((a) => a !== undefined);
    status.textContent = refused.length === 0 ? `Sent ${chosen.length} to Haul.` : `Sent ${chosen.length - refused.length}; Haul did not take ${refused.length}: ${refused[0]}`;
  });
});
void load().catch((error: Error) => (status.textContent = `Could not read the page's links: ${error.message}`));
