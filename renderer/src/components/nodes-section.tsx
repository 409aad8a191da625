import { useEffect, useState } from 'react';
import type { NodeView } from '../../../shared/api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * Settings' list of the nodes sharing this Haul through Redis (shown only when there are
 * any): each one's state and load; an admin drains one for maintenance or lets it work again.
 */
export function NodesSection({ onError, canDrain }: { onError: (e: unknown) => void; canDrain: boolean }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [answer, setAnswer] = useState<{ self: string; nodes: NodeView[] } | undefined>(undefined);
  useEffect(() => {
    api.nodes().then(setAnswer, onError);
  }, [api, onError]);
  if (answer === undefined || answer.nodes.length === 0) return null;
  const drain = (node: NodeView): void =>
    void api
      .drainNode(node.name, !node.draining)
      .then((changed) => setAnswer((a) => a && { ...a, nodes: a.nodes.map((n) => (n.name === changed.name ? changed : n)) }))
      .catch(onError);
  return (
    <section className="nodes" aria-label={i18n.t('nodes.title')}>
      <h3>{i18n.t('nodes.title')}</h3>
      <ul>
        {answer.nodes.map((node) => (
          <li key={node.name}>
            <span>
              <strong>{node.name}</strong>
              {node.name === answer.self ? ` ${i18n.t('nodes.self')}` : ''}{' '}
              <span className="muted">
                {!node.alive ? i18n.t('nodes.gone') : node.draining ? i18n.t('nodes.draining') : i18n.t('nodes.running', { running: node.running, max: node.maxConcurrent })}
              </span>
            </span>
            {canDrain && node.alive && (
              <button type="button" aria-label={i18n.t(node.draining ? 'nodes.undrainLabel' : 'nodes.drainLabel', { name: node.name })} onClick={() => drain(node)}>
                {i18n.t(node.draining ? 'nodes.undrain' : 'nodes.drain')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
