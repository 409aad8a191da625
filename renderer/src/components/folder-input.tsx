import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** A folder path field; in the desktop app it also offers the system's folder picker. */
export function FolderInput(props: { id: string; value: string; onChange: (value: string) => void; placeholder?: string; autoFocus?: boolean }) {
  const { desktop } = useServices();
  const i18n = useI18n();
  return (
    <span className="with-button">
      {/* biome-ignore lint/a11y/noAutofocus: the first field of a dialog the user just opened */}
      <input id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} placeholder={props.placeholder} autoFocus={props.autoFocus} />
      {desktop !== undefined && (
        <button type="button" onClick={() => void desktop.pickFolder().then((picked) => picked !== null && props.onChange(picked))}>
          {i18n.t('add.choose')}
        </button>
      )}
    </span>
  );
}
