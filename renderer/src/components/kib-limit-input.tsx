/** A speed limit typed in KiB/s, empty for none (a download window's, a site rule's): bytes/s out, undefined when empty. */
export function KibLimitInput({ id, bytes, onChange }: { id: string; bytes: number | undefined; onChange: (bytes: number | undefined) => void }) {
  return (
    <input
      id={id}
      type="number"
      min={1}
      value={bytes === undefined ? '' : String(Math.round(bytes / 1024))}
      onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : Math.round(Number(e.target.value) * 1024))}
    />
  );
}
