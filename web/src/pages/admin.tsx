import { useState } from 'react';
import { NavLink } from 'react-router';
import { api } from '../api/client';
import type { Dashboard, Page, User } from '../api/types';
import { useAuth } from '../auth';
import { ActionButton, bytes, Loading, PageTitle, useLoad, when } from '../components/ui';

function AdminNav() {
  return (
    <nav aria-label="Administration" className="subnav">
      <NavLink to="/admin" end>Dashboard</NavLink>
      <NavLink to="/admin/users">Users</NavLink>
    </nav>
  );
}

export function AdminDashboard() {
  const { hub } = useAuth();
  const { data, error } = useLoad(() => api.get<Dashboard>('/api/v1/admin/dashboard'));
  const stat = (label: string, value: string | number) => <div className="stat"><dt>{label}</dt><dd>{value}</dd></div>;
  return (
    <section>
      <PageTitle hub={hub?.name}>Administration</PageTitle>
      <AdminNav />
      {!data ? <Loading error={error} what="the dashboard" /> : (
        <>
          <h2>Users</h2>
          <dl className="stats">{stat('Accounts', data.users.total)}{stat('Administrators', data.users.admins)}{stat('Disabled', data.users.disabled)}</dl>
          <h2>Servers</h2>
          <dl className="stats">{stat('Claimed', data.servers.total)}{stat('Online', data.servers.online)}{stat('Offline', data.servers.offline)}{stat('Disabled', data.servers.disabled)}</dl>
          <h2>Relay</h2>
          <dl className="stats">{stat('Open tunnels', data.relay.active_tunnels)}{stat('Streams now', data.relay.active_streams)}{stat('Relayed today', bytes(data.relay.bytes_today))}</dl>
          {data.relay.note && <p className="muted">{data.relay.note}</p>}
          <p className="muted">As of {when(data.generated_at)}.</p>
        </>
      )}
    </section>
  );
}

export function AdminUsers() {
  const { hub, user: me } = useAuth();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<User>>('/api/v1/admin/users', { query: { q: q || undefined, page, per_page: 50 } }), [q, page]);
  const patch = async (u: User, body: { disabled?: boolean; is_admin?: boolean }) => {
    await api.patch('/api/v1/admin/users/{id}', { params: { id: u.id }, body });
    await list.reload();
  };
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.per_page)) : 1;
  return (
    <section>
      <PageTitle hub={hub?.name}>Users</PageTitle>
      <AdminNav />
      <form role="search" onSubmit={(e) => { e.preventDefault(); setQ(String(new FormData(e.currentTarget).get('q') ?? '').trim()); setPage(1); }} className="inline">
        <label htmlFor="user-search">Find users</label>
        <input id="user-search" name="q" type="search" placeholder="username, email or name" />
        <button type="submit">Search</button>
      </form>
      {!list.data ? <Loading error={list.error} what="users" /> : (
        <>
          <table>
            <caption className="sr-only">Users of this hub</caption>
            <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Joined</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.username}{u.display_name && u.display_name !== u.username ? ` (${u.display_name})` : ''}</td>
                  <td>{u.email}</td><td>{u.is_admin ? 'Admin' : 'Member'}</td><td>{u.disabled ? 'Disabled' : 'Active'}</td><td>{when(u.created_at)}</td>
                  <td className="row-actions">
                    {u.id !== me?.id && (
                      <>
                        <ActionButton label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`} className={u.disabled ? '' : 'danger'} onClick={() => patch(u, { disabled: !u.disabled })}>{u.disabled ? 'Enable' : 'Disable'}</ActionButton>
                        <ActionButton label={`${u.is_admin ? 'Remove admin from' : 'Make admin'} ${u.username}`} onClick={() => patch(u, { is_admin: !u.is_admin })}>{u.is_admin ? 'Remove admin' : 'Make admin'}</ActionButton>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>Previous</button>
            <span>Page {page} of {pages} ({list.data.total} users)</span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>Next</button>
          </nav>
        </>
      )}
    </section>
  );
}
