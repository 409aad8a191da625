import type { ActionDef } from '../../../shared/actions.ts';
import { useEditableRows } from '../hooks/use-editable-rows.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Kind = 'run' | 'webhook' | 'extract';
const KINDS: readonly Kind[] = ['run', 'webhook', 'extract'];

const kindOf = (a: ActionDef): Kind => ('run' in a ? 'run' : 'webhook' in a ? 'webhook' : 'extract');

function withKind(a: ActionDef, kind: Kind): ActionDef {
  switch (kind) {
    case 'run':
      return { name: a.name, run: [''] };
    case 'webhook':
      return { name: a.name, webhook: '' };
    case 'extract':
      return { name: a.name, extract: true };
  }
}

/**
 * Settings → Actions: what may run when a download finishes. A program is edited one argument per
 * line, so nothing is ever split or quoted as a shell would; the server checks what is saved.
 */
export function ActionsEditor({ value, onChange }: { value: ActionDef[]; onChange: (next: ActionDef[]) => void }) {
  const i18n = useI18n();
  const rows = useEditableRows(value, onChange);
  const change = rows.change;
  return (
    <fieldset className="rules" aria-labelledby="actions-legend">
      <legend id="actions-legend">{i18n.t('settings.actions')}</legend>
      {value.length === 0 && <p className="hint">{i18n.t('settings.actionsNone')}</p>}
      {value.map((a, i) => (
        <fieldset className="rule" key={rows.keys[i]} aria-label={`${i18n.t('settings.action')} ${i + 1}`}>
          <label>
            <span>{i18n.t('settings.actionName')}</span>
            <input value={a.name} maxLength={40} onChange={(e) => change(i, { ...a, name: e.target.value })} />
          </label>
          <label>
            <span>{i18n.t('settings.actionKind')}</span>
            <select value={kindOf(a)} onChange={(e) => change(i, withKind(a, e.target.value as Kind))}>
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {i18n.t(`settings.actionKind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          {'run' in a && (
            <>
              <label className="wide">
                <span>{i18n.t('settings.actionRun')}</span>
                <textarea rows={3} spellCheck={false} value={a.run.join('\n')} onChange={(e) => change(i, { ...a, run: e.target.value.split('\n') })} />
                <small>{i18n.t('settings.actionRunHint')}</small>
              </label>
              <label>
                <span>{i18n.t('settings.actionTimeout')}</span>
                <input type="number" min={1} max={3600} value={a.timeoutSeconds ?? 60} onChange={(e) => change(i, { ...a, timeoutSeconds: Number(e.target.value) })} />
              </label>
            </>
          )}
          {'webhook' in a && (
            <label className="wide">
              <span>{i18n.t('settings.actionWebhook')}</span>
              <input type="url" value={a.webhook} placeholder="https://" onChange={(e) => change(i, { ...a, webhook: e.target.value })} />
            </label>
          )}
          {'extract' in a && <p className="hint">{i18n.t('settings.actionExtractHint')}</p>}
          <button type="button" onClick={() => rows.remove(i)}>
            {i18n.t('settings.remove')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => rows.add({ name: '', run: [''] })}>
        {i18n.t('settings.actionAdd')}
      </button>
    </fieldset>
  );
}

/** The actions as they are saved: a program's empty lines (a trailing newline) dropped. */
export function actionsToSave(actions: readonly ActionDef[]): ActionDef[] {
  return actions.map((a) => ('run' in a ? { ...a, run: a.run.filter((arg) => arg !== '') } : a));
}
