import type { SiteRule } from '../../../shared/site-rules.ts';
import { useEditableRows } from '../hooks/use-editable-rows.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { KibLimitInput } from './kib-limit-input.tsx';

/** A rule's headers as lines of "Name: value" (secret values arrive as "(hidden)" and go back so, which keeps them). */
const headerLines = (headers: Record<string, string> | undefined): string =>
  Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

function headersOf(text: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(headers).length === 0 ? undefined : headers;
}

const optionalNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Math.round(Number(text)));
const optionalText = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());
const list = (text: string): string[] | undefined => {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return names.length === 0 ? undefined : names;
};

/** Settings → Site rules: options a download takes from the first rule its host matches. */
export function SiteRulesEditor({ value, onChange }: { value: SiteRule[]; onChange: (next: SiteRule[]) => void }) {
  const i18n = useI18n();
  const rows = useEditableRows(value, onChange);
  const change = (i: number, patch: Partial<SiteRule>): void => rows.change(i, { ...(value[i] as SiteRule), ...patch });
  return (
    <fieldset className="rules" aria-labelledby="rules-legend">
      <legend id="rules-legend">{i18n.t('settings.siteRules')}</legend>
      {value.length === 0 && <p className="hint">{i18n.t('settings.siteRulesNone')}</p>}
      {value.map((r, i) => (
        <fieldset className="rule" key={rows.keys[i]} aria-label={`${i18n.t('settings.siteRule')} ${i + 1}`}>
          <label>
            <span>{i18n.t('settings.ruleMatch')}</span>
            <input value={r.match} placeholder="*.example.com" onChange={(e) => change(i, { match: e.target.value.trim() })} />
          </label>
          <label>
            <span>{i18n.t('settings.connections')}</span>
            <input type="number" min={1} max={32} value={r.connections ?? ''} onChange={(e) => change(i, { connections: optionalNumber(e.target.value) })} />
          </label>
          <label htmlFor={`rule-limit-${rows.keys[i]}`}>
            <span>{i18n.t('settings.scheduleLimit')}</span>
            <KibLimitInput id={`rule-limit-${rows.keys[i]}`} bytes={r.speedLimit} onChange={(speedLimit) => change(i, { speedLimit })} />
          </label>
          <label>
            <span>{i18n.t('settings.ruleDir')}</span>
            <input value={r.dir ?? ''} onChange={(e) => change(i, { dir: optionalText(e.target.value) })} />
          </label>
          <label>
            <span>{i18n.t('settings.ruleUserAgent')}</span>
            <input value={r.userAgent ?? ''} onChange={(e) => change(i, { userAgent: optionalText(e.target.value) })} />
          </label>
          <label>
            <span>{i18n.t('settings.ruleReferer')}</span>
            <input value={r.referer ?? ''} onChange={(e) => change(i, { referer: optionalText(e.target.value) })} />
          </label>
          <label className="wide">
            <span>{i18n.t('settings.ruleHeaders')}</span>
            <textarea rows={2} spellCheck={false} defaultValue={headerLines(r.headers)} placeholder="Cookie: session=…" onChange={(e) => change(i, { headers: headersOf(e.target.value) })} />
          </label>
          <label>
            <span>{i18n.t('settings.ruleActions')}</span>
            <input defaultValue={(r.actions ?? []).join(', ')} onChange={(e) => change(i, { actions: list(e.target.value) })} />
          </label>
          <button type="button" onClick={() => rows.remove(i)}>
            {i18n.t('settings.remove')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => rows.add({ match: '' })}>
        {i18n.t('settings.ruleAdd')}
      </button>
    </fieldset>
  );
}
