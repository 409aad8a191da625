import { useCallback, useState } from 'react';
import type { LinkCheck, LinkConflict } from '../../../shared/api.ts';
import { ModalForm } from './modal-form.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export type DuplicateChoice = 'skip' | 'again' | 'resume';
export type Conflicted = LinkCheck & { conflict: LinkConflict };

/** Resuming means something only for a download in the list that has not finished. */
export function canResume(conflict: LinkConflict): boolean {
  return conflict.kind === 'in-list' && conflict.status !== 'completed';
}

/**
 * Links that are already in the list or already saved: for each, skip it, download it again
 * (under a new name, never over the old file), or resume the download already in the list.
 */
export function DuplicateDialog({ items, onDone }: { items: Conflicted[]; onDone: (choices: DuplicateChoice[] | undefined) => void }) {
  const i18n = useI18n();
  const [choices, setChoices] = useState<DuplicateChoice[]>(() => items.map((item) => (canResume(item.conflict) ? 'resume' : 'skip')));
  const cancel = useCallback(() => onDone(undefined), [onDone]);
  const setAll = (choice: DuplicateChoice): void => setChoices(items.map((item) => (choice === 'resume' && !canResume(item.conflict) ? 'skip' : choice)));
  return (
    <ModalForm className="duplicates" labelledBy="dup-title" onCancel={cancel} onSubmit={() => onDone(choices)}>
      <h2 id="dup-title">{i18n.t('dup.title', { count: items.length })}</h2>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle buttons, not a set of form fields */}
      <div className="dup-all" role="group" aria-label={i18n.t('dup.all')}>
        <span>{i18n.t('dup.all')}</span>
        <button type="button" onClick={() => setAll('skip')}>
          {i18n.t('dup.skip')}
        </button>
        <button type="button" onClick={() => setAll('again')}>
          {i18n.t('dup.again')}
        </button>
        {items.some((item) => canResume(item.conflict)) && (
          <button type="button" onClick={() => setAll('resume')}>
            {i18n.t('dup.resume')}
          </button>
        )}
      </div>
      <ul className="dup-list">
        {items.map((item, i) => (
          <li key={item.url}>
            <p className="mono">{item.url}</p>
            <p className="muted">{item.conflict.kind === 'in-list' ? i18n.t('dup.inList', { path: item.conflict.path }) : i18n.t('dup.exists', { path: item.conflict.path })}</p>
            <select aria-label={i18n.t('dup.choice', { url: item.url })} value={choices[i]} onChange={(e) => setChoices((c) => c.map((v, j) => (j === i ? (e.target.value as DuplicateChoice) : v)))}>
              <option value="skip">{i18n.t('dup.skip')}</option>
              <option value="again">{i18n.t('dup.again')}</option>
              {canResume(item.conflict) && <option value="resume">{i18n.t('dup.resume')}</option>}
            </select>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={cancel}>
          {i18n.t('settings.cancel')}
        </button>
        <button type="submit" className="primary" data-autofocus>
          {i18n.t('dup.continue')}
        </button>
      </div>
    </ModalForm>
  );
}
