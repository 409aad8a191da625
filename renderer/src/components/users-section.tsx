import { useCallback, useEffect, useState } from 'react';
import { ROLES, type Role, type UserView } from '../../../shared/accounts-api.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** Settings' list of accounts, for admins: add a user with a role, or remove one. */
export function UsersSection({ onError }: { onError: (e: unknown) => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [users, setUsers] = useState<UserView[]>([]);
  const [draft, setDraft] = useState<{ name: string; password: string; role: Role }>({ name: '', password: '', role: 'user' });
  const load = useCallback(() => api.users().then((r) => setUsers(r.users), onError), [api, onError]);
  useEffect(() => void load(), [load]);
  const add = (): void =>
    void api
      .addUser(draft)
      .then(() => {
        setDraft({ name: '', password: '', role: 'user' });
        return load();
      })
      .catch(onError);
  return (
    <section className="paired" aria-label={i18n.t('users.title')}>
      <h3>{i18n.t('users.title')}</h3>
      <ul>
        {users.map((u) => (
          <li key={u.name}>
            <span>
              {u.name} <span className="muted">{i18n.t(`role.${u.role}`)}</span>
            </span>
            <button type="button" aria-label={i18n.t('users.removeLabel', { name: u.name })} onClick={() => void api.removeUser(u.name).then(load).catch(onError)}>
              {i18n.t('action.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="user-add">
        <input aria-label={i18n.t('login.name')} placeholder={i18n.t('login.name')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        <input
          aria-label={i18n.t('login.password')}
          placeholder={i18n.t('login.password')}
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={(e) => setDraft({ ...draft, password: e.target.value })}
        />
        <select aria-label={i18n.t('users.role')} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {i18n.t(`role.${r}`)}
            </option>
          ))}
        </select>
        <button type="button" onClick={add}>
          {i18n.t('users.add')}
        </button>
      </div>
    </section>
  );
}
