import { Fragment, useState } from 'react';
import { api } from '../../api/client';
import type { Page, User } from '../../api/types';
import { useAuth } from '../../auth';
import { Pager } from '../../components/pager';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';
import { RelayLimits } from './relay-limits';

export function AdminUsers() {
  const { hub, user: me } = useAuth();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api.get<Page<User>>('/api/v1/admin/users', { query: { q: q || undefined, page, per_page: 50 } }),
    [q, page],
  );
  const patch = async (u: User, body: { disabled?: boolean; is_admin?: boolean }) => {
    await api.patch('/api/v1/admin/users/{id}', { params: { id: u.id }, body });
    await list.reload();
  };
  const [limitsOf, setLimitsOf] = useState<string | null>(null);
  return (
    <section>
      <PageTitle hub={hub?.name}>Users</PageTitle>
      <AdminNav />
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(String(new FormData(e.currentTarget).get('q') ?? '').trim());
          setPage(1);
        }}
        className="inline"
      >
        <label htmlFor="user-search">Find users</label>
        <input id="user-search" name="q" type="search" placeholder="username, email or name" />
        <button type="submit">Search</button>
      </form>
      {!list.data ? (
        <Loading error={list.error} what="users" />
      ) : (
        <>
          <table>
            <caption className="sr-only">Users of this hub</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((u) => (
                <Fragment key={u.id}>
                  <tr>
                    <td>
                      {u.username}
                      {u.display_name && u.display_name !== u.username ? ` (${u.display_name})` : ''}
                    </td>
                    <td>{u.email}</td>
                    <td>{u.is_admin ? 'Admin' : 'Member'}</td>
                    <td>{u.disabled ? 'Disabled' : 'Active'}</td>
                    <td>{when(u.created_at)}</td>
                    <td className="row-actions">
                      {u.id !== me?.id && (
                        <>
                          <ActionButton
                            label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
                            className={u.disabled ? '' : 'danger'}
                            onClick={() => patch(u, { disabled: !u.disabled })}
                          >
                            {u.disabled ? 'Enable' : 'Disable'}
                          </ActionButton>
                          <ActionButton
                            label={`${u.is_admin ? 'Remove admin from' : 'Make admin'} ${u.username}`}
                            onClick={() => patch(u, { is_admin: !u.is_admin })}
                          >
                            {u.is_admin ? 'Remove admin' : 'Make admin'}
                          </ActionButton>
                        </>
                      )}
                      <button
                        type="button"
                        aria-expanded={limitsOf === u.id}
                        aria-label={`Relay limits of ${u.username}`}
                        onClick={() => setLimitsOf(limitsOf === u.id ? null : u.id)}
                      >
                        Relay limits
                      </button>
                    </td>
                  </tr>
                  {limitsOf === u.id && (
                    <tr>
                      <td colSpan={6}>
                        <RelayLimits user={u} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          <Pager page={page} perPage={list.data.per_page} total={list.data.total} what="users" onPage={setPage} />
        </>
      )}
    </section>
  );
}
