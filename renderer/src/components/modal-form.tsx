import { useRef, type ReactNode } from 'react';
import { useFocusTrap } from '../hooks/use-focus-trap.ts';

/** A modal dialog that is a form: over a backdrop, holding keyboard focus, Escape to cancel, Enter to submit. */
export function ModalForm(props: { className?: string; role?: 'dialog' | 'alertdialog'; labelledBy: string; describedBy?: string; onCancel: () => void; onSubmit: () => void; children: ReactNode }) {
  const ref = useRef<HTMLFormElement>(null);
  useFocusTrap(ref, props.onCancel);
  return (
    <div className="dialog-backdrop">
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the role is dialog or alertdialog, and both take aria-modal */}
      <form
        ref={ref}
        className={`dialog${props.className === undefined ? '' : ` ${props.className}`}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        {...(props.describedBy === undefined ? {} : { 'aria-describedby': props.describedBy })}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
      </form>
    </div>
  );
}
