import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Permission, Share } from '../api/types';
import { useAuth } from '../auth';
import { Form, Input, Select } from '../components/form';
import { OpenServer } from '../components/open-server';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../components/ui';
import { endOfDay, PERMISSION_WORDS, ScopePicker, today } from './scope-picker';
import { useServers } from './servers';
import { PERMISSIONS } from '../api/types';

const who = (p: { display_name: string | null; username: string | null }) => p.display_name || p.username || 'someone';
const scope = (s: Share) => (s.library_id ? (s.library_name ?? 'a library') : 'whole server');

function EditShare({ share, done }: { share: Share; done: () => Promise<void> }) {
  return (
    <Form
      submit="Save"
      label={`Change the share with ${who(share.grantee)}`}
      codes={{ 'share.not_found': 'permission' }}
      onSubmit={async (v) => {
        // the end date is sent only when it was changed (the field shows the day, the share keeps its exact time)
        const changed = v.expires !== (share.expires_at ? share.expires_at.slice(0, 10) : '');
        await api.patch('/api/v1/me/shares/{id}', {
          params: { id: share.id },
          body: { permission: v.permission as Permission, ...(changed ? { expires_at: endOfDay(v.expires) } : {}) },
        });
        await done();
      }}
    >
      <Select
        name="permission"
        label="Permission"
        defaultValue={share.permission}
        options={PERMISSIONS.map((p): [string, string] => [p, PERMISSION_WORDS[p]])}
      />
      <Input
        name="expires"
        label="Ends after (empty: never)"
        type="date"
        min={today()}
        defaultValue={share.expires_at ? share.expires_at.slice(0, 10) : ''}
      />
    </Form>
  );
}

export function Shares() {
  const { hub } = useAuth();
  const servers = useServers();
  const shares = useLoad(() => api.get<{ outgoing: Share[]; incoming: Share[] }>('/api/v1/me/shares'));
  const [editing, setEditing] = useState<string | null>(null);
  const ownsNone = servers.data?.servers.length === 0;
  const stillOnline = async (shareId: string) => {
    const now = await api.get<{ incoming: Share[] }>('/api/v1/me/shares');
    return now.incoming.some((x) => x.id === shareId && x.status === 'active' && x.server_online);
  };
  const incoming = (
    <>
      <h2>Shared with you</h2>
      {!shares.data ? null : shares.data.incoming.length === 0 ? (
        <p>Nobody shares a server with you yet. An invite link from a friend adds one here.</p>
      ) : (
        <ul className="cards" aria-label="Shared with you">
          {shares.data.incoming.map((s) => (
            <li key={s.id} className="card">
              <h3>
                {s.server_name ?? 'A server'}{' '}
                <span className={`badge ${s.server_online ? 'ok' : 'off'}`}>
                  {s.server_online ? 'Online' : 'Offline'}
                </span>
              </h3>
              <p>
                {scope(s)} · {PERMISSION_WORDS[s.permission]} · from {who(s.owner)} · ends {when(s.expires_at)}
              </p>
              {s.relay_url && s.status === 'active' && (
                <p>
                  <OpenServer
                    serverId={s.server_id}
                    name={s.server_name ?? 'the server'}
                    stillOnline={() => stillOnline(s.id)}
                  />
                  {!s.server_online && (
                    <span className="muted"> The server is offline now; it opens when it comes back.</span>
                  )}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
  return (
    <section>
      <PageTitle hub={hub?.name}>Shares</PageTitle>
      {ownsNone && incoming}
      <h2>Share a server</h2>
      {!servers.data ? (
        <Loading error={servers.error} what="your servers" />
      ) : servers.data.servers.length === 0 ? (
        <p>
          Add a server first: <Link to="/servers/add">Add a server</Link>.
        </p>
      ) : (
        <Form
          submit="Share"
          label="Share a server with a user"
          className="grid"
          codes={{
            'share.user_not_found': 'recipient',
            'share.self': 'recipient',
            'share.exists': 'recipient',
            'share.library_not_found': 'library_id',
            'user.not_found': 'recipient',
          }}
          onSubmit={async (v, form) => {
            const r = v.recipient.trim();
            await api.post('/api/v1/me/shares', {
              body: {
                server_id: v.server_id,
                library_id: v.library_id || null,
                permission: v.permission as Permission,
                ...(r.includes('@') ? { email: r } : { username: r }),
                expires_at: endOfDay(v.expires),
              },
            });
            form.reset();
            await shares.reload();
          }}
        >
          <Input name="recipient" label="User (username or email)" required autoComplete="off" />
          <ScopePicker servers={servers.data.servers} libraries={servers.data.libraries} />
          <Input name="expires" label="Ends after (empty: never)" type="date" min={today()} />
        </Form>
      )}
      <h2>Shared by you</h2>
      {!shares.data ? (
        <Loading error={shares.error} what="shares" />
      ) : shares.data.outgoing.length === 0 ? (
        <p>You share nothing yet.</p>
      ) : (
        <table>
          <caption className="sr-only">Shares you give</caption>
          <thead>
            <tr>
              <th scope="col">With</th>
              <th scope="col">Server</th>
              <th scope="col">Libraries</th>
              <th scope="col">Permission</th>
              <th scope="col">Ends</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.data.outgoing.map((s) => (
              <tr key={s.id}>
                <td>{who(s.grantee)}</td>
                <td>{s.server_name}</td>
                <td>{scope(s)}</td>
                <td>{s.permission}</td>
                <td>{when(s.expires_at)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-expanded={editing === s.id}
                    onClick={() => setEditing(editing === s.id ? null : s.id)}
                  >
                    {editing === s.id ? 'Close' : 'Edit'}
                  </button>
                  <ActionButton
                    className="danger"
                    label={`Revoke the share with ${who(s.grantee)}`}
                    confirm={`Stop sharing ${s.server_name} with ${who(s.grantee)}?`}
                    onClick={async () => {
                      await api.delete('/api/v1/me/shares/{id}', { params: { id: s.id } });
                      await shares.reload();
                    }}
                  >
                    Revoke
                  </ActionButton>
                  {editing === s.id && (
                    <EditShare
                      share={s}
                      done={async () => {
                        setEditing(null);
                        await shares.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!ownsNone && incoming}
    </section>
  );
}
