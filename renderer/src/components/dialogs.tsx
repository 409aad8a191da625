import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { ModalForm } from './modal-form.tsx';

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  /** A checkbox the answer reports (such as "also delete the files"). */
  checkbox?: { label: string; checked: boolean };
}
export interface ConfirmAnswer {
  ok: boolean;
  checked: boolean;
}

type Ask = (request: ConfirmRequest) => Promise<ConfirmAnswer>;
const DialogContext = createContext<Ask>(async () => ({ ok: false, checked: false }));

/** Asks the user to confirm, in a modal dialog that holds focus; resolves with the answer. */
export function useConfirm(): Ask {
  return useContext(DialogContext);
}

export function DialogHost({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (a: ConfirmAnswer) => void } | undefined>(undefined);
  const ask = useCallback<Ask>((request) => new Promise((resolve) => setPending({ request, resolve })), []);
  return (
    <DialogContext.Provider value={ask}>
      {children}
      {pending !== undefined && (
        <ConfirmDialog
          request={pending.request}
          answer={(a) => {
            setPending(undefined);
            pending.resolve(a);
          }}
        />
      )}
    </DialogContext.Provider>
  );
}

function ConfirmDialog({ request, answer }: { request: ConfirmRequest; answer: (a: ConfirmAnswer) => void }) {
  const i18n = useI18n();
  const [checked, setChecked] = useState(request.checkbox?.checked ?? false);
  const cancel = useCallback(() => answer({ ok: false, checked }), [answer, checked]);
  return (
    <ModalForm className="confirm" role="alertdialog" labelledBy="confirm-title" describedBy="confirm-body" onCancel={cancel} onSubmit={() => answer({ ok: true, checked })}>
      <h2 id="confirm-title">{request.title}</h2>
      <p id="confirm-body">{request.body}</p>
      {request.checkbox !== undefined && (
        <label className="check">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          <span>{request.checkbox.label}</span>
        </label>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={cancel} data-autofocus>
          {i18n.t('settings.cancel')}
        </button>
        <button type="submit" className={request.danger === true ? 'danger-button' : 'primary'}>
          {request.confirmLabel}
        </button>
      </div>
    </ModalForm>
  );
}
