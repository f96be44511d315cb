import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { CreatedInvite, Invite, Permission } from '../api/types';
import { useAuth } from '../auth';
import { Form, Input, Select } from '../components/form';
import { ActionButton, CopyField, Loading, PageTitle, useLoad, when } from '../components/ui';
import { ScopePicker } from './scope-picker';
import { useServers } from './servers';

const EXPIRY: [string, string][] = [
  ['86400', '1 day'],
  ['604800', '7 days'],
  ['2592000', '30 days'],
  ['0', 'Never'],
];

export function Invites() {
  const { hub } = useAuth();
  const servers = useServers();
  const invites = useLoad(() => api.get<{ invite_links: Invite[] }>('/api/v1/me/invite-links'));
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  return (
    <section>
      <PageTitle hub={hub?.name}>Invites</PageTitle>
      <p>An invite link gives whoever opens it (and signs in or creates an account) a share of your server.</p>
      <h2>Make an invite link</h2>
      {!servers.data ? (
        <Loading error={servers.error} what="your servers" />
      ) : servers.data.servers.length === 0 ? (
        <p>
          Add a server first: <Link to="/servers/add">Add a server</Link>.
        </p>
      ) : (
        <Form
          submit="Create invite link"
          label="Make an invite link"
          className="grid"
          codes={{ 'share.library_not_found': 'library_id', 'server.not_found': 'server_id' }}
          onSubmit={async (v) => {
            setCreated(
              await api.post<CreatedInvite>('/api/v1/me/invite-links', {
                body: {
                  server_id: v.server_id,
                  library_id: v.library_id || null,
                  permission: v.permission as Permission,
                  max_uses: Number(v.max_uses),
                  expires_in: Number(v.expires_in),
                },
              }),
            );
            await invites.reload();
          }}
        >
          <ScopePicker servers={servers.data.servers} libraries={servers.data.libraries} />
          <Input
            name="max_uses"
            label="How many people may use it"
            type="number"
            min={1}
            max={99}
            defaultValue={1}
            required
          />
          <Select name="expires_in" label="Expires after" defaultValue="604800" options={EXPIRY} />
        </Form>
      )}
      {created && (
        <div className="result" role="status">
          <CopyField label="Invite link" value={created.url} />
          <p className="muted">
            Send it to the people you invite. It is shown only now; usable {created.max_uses} time
            {created.max_uses === 1 ? '' : 's'}, until {when(created.expires_at)}.
          </p>
        </div>
      )}
      <h2>Your invite links</h2>
      {!invites.data ? (
        <Loading error={invites.error} what="invite links" />
      ) : invites.data.invite_links.length === 0 ? (
        <p>No invite links yet.</p>
      ) : (
        <table>
          <caption className="sr-only">Your invite links</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Libraries</th>
              <th scope="col">Permission</th>
              <th scope="col">Used</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.data.invite_links.map((i) => (
              <tr key={i.id}>
                <td>{i.server_name}</td>
                <td>{i.library_id ? i.library_name : 'whole server'}</td>
                <td>{i.permission}</td>
                <td>
                  {i.use_count} of {i.max_uses}
                </td>
                <td>{when(i.expires_at)}</td>
                <td>{i.status}</td>
                <td>
                  <ActionButton
                    className="danger"
                    label={`Revoke the invite link for ${i.server_name}`}
                    confirm="Revoke this invite link? Shares already accepted stay."
                    onClick={async () => {
                      await api.delete('/api/v1/me/invite-links/{id}', { params: { id: i.id } });
                      await invites.reload();
                    }}
                  >
                    Revoke
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
