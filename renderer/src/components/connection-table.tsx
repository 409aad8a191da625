import type { ConnectionView } from '../../../shared/api.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Each connection of a running download: its colour on the range map, the part it fetches, its speed (a straggler said so). */
export function ConnectionTable({ connections }: { connections: ConnectionView[] }) {
  const i18n = useI18n();
  if (connections.length === 0) return null;
  return (
    <table className="conn-table">
      <thead>
        <tr>
          <th>#</th>
          <th>{i18n.t('detail.part')}</th>
          <th>{i18n.t('column.speed')}</th>
        </tr>
      </thead>
      <tbody>
        {connections.map((c, i) => (
          <tr key={c.start} className={c.straggler ? 'straggler' : ''}>
            <td>
              <span className={`swatch conn-${i % 8}`} aria-hidden="true" /> {i + 1}
            </td>
            <td>
              {i18n.bytes(c.start)} – {c.end === null ? '…' : i18n.bytes(c.end)}
            </td>
            <td>{c.straggler ? i18n.t('detail.straggler', { speed: i18n.speed(c.speed) }) : i18n.speed(c.speed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
