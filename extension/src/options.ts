import { findHaul } from './haul-client.ts';
import { loadPairing, loadSettings, savePairing, saveSettings } from './settings.ts';

const form = document.getElementById('options') as HTMLFormElement;
const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const MiB = 1024 * 1024;
const NOT_FOUND = "Haul is not running, or not where this extension looks (this computer's ports 7411–7430). Start it, or set Haul's address above, then try again.";

async function fill(): Promise<void> {
  const settings = await loadSettings();
  input('enabled').checked = settings.enabled;
  input('minSize').value = String(settings.minSize / MiB);
  input('types').value = settings.types.join(', ');
  input('skipSites').value = settings.skipSites.join('\n');
  input('base').value = settings.base ?? '';
  const pairing = await loadPairing();
  (document.getElementById('pairing') as HTMLElement).textContent = pairing === undefined ? 'Not paired: pair from the toolbar button.' : `Paired with Haul at ${pairing.base}.`;
  // Nothing to forget while nothing is paired.
  (document.getElementById('unpair') as HTMLButtonElement).disabled = pairing === undefined;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const list = (text: string, split: RegExp): string[] =>
    text
      .split(split)
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== '');
  const base = input('base').value.trim();
  void saveSettings({
    enabled: input('enabled').checked,
    minSize: Math.max(0, Math.round(Number(input('minSize').value || '0') * MiB)),
    types: list(input('types').value, /[,\s]+/u).map((t) => t.replace(/^\./u, '')),
    skipSites: list(input('skipSites').value, /\s+/u),
    ...(base === '' ? {} : { base: base.endsWith('/') ? base : `${base}/` }),
  }).then(() => ((document.getElementById('saved') as HTMLElement).textContent = 'Saved.'));
});

(document.getElementById('unpair') as HTMLButtonElement).addEventListener('click', () => void savePairing(undefined).then(fill));

// A user's API token (accounts on) takes the place of a pairing: hand-overs are then that user's.
const tokenForm = document.getElementById('use-token') as HTMLFormElement;
tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = (tokenForm.elements.namedItem('token') as HTMLInputElement).value.trim();
  const status = document.getElementById('token-status') as HTMLElement;
  void findHaul().then(async (base) => {
    if (base === undefined) return void (status.textContent = NOT_FOUND);
    await savePairing({ base, token, browserId: 'user-token' });
    status.textContent = 'Saved: downloads go to Haul as this user.';
    await fill();
  });
});
void fill();
