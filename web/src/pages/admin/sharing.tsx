import { useState } from 'react';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Pager } from '../../components/pager';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';

type SharePage = components['schemas']['SharePageDto'];
type InvitePage = components['schemas']['InvitePageDto'];
type Person = components['schemas']['PersonDto'];
const who = (p: Person) =>
  p.display_name && p.display_name !== p.username
    ? `${p.username} (${p.display_name})`
    : (p.username ?? 'a deleted user');
const what = (x: { server_name: string | null; library_name: string | null }) =>
  `${x.server_name ?? 'a server'}${x.library_name ? ` · ${x.library_name}` : ' · whole server'}`;

function ShareList({ all }: { all: boolean }) {
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api.get<SharePage>('/api/v1/admin/shares', { query: { status: all ? 'all' : 'active', page, per_page: 50 } }),
    [all, page],
  );
  if (!list.data) return <Loading error={list.error} what="shares" />;
  return (
    <>
      <div className="scroll">
        <table>
          <caption className="sr-only">Shares</caption>
          <thead>
            <tr>
              <th scope="col">Shared</th>
              <th scope="col">Owner</th>
              <th scope="col">With</th>
              <th scope="col">Permission</th>
              <th scope="col">State</th>
              <th scope="col">Ends</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id}>
                <td>{what(s)}</td>
                <td>{who(s.owner)}</td>
                <td>{who(s.grantee)}</td>
                <td>{s.permission}</td>
                <td>{s.status}</td>
                <td>{when(s.expires_at)}</td>
                <td className="row-actions">
                  {s.status === 'active' && (
                    <ActionButton
                      className="danger"
                      label={`Revoke the share of ${what(s)} with ${who(s.grantee)}`}
                      onClick={async () => {
                        await api.delete('/api/v1/admin/shares/{id}', { params: { id: s.id } });
                        await list.reload();
                      }}
                    >
                      Revoke
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data.items.length === 0 && <p>No shares.</p>}
      <Pager page={page} perPage={list.data.per_page} total={list.data.total} what="shares" onPage={setPage} />
    </>
  );
}

function InviteList({ all }: { all: boolean }) {
  const [page, setPage] = useState(1);
  const list = useLoad(
    () =>
      api.get<InvitePage>('/api/v1/admin/invite-links', {
        query: { status: all ? 'all' : 'active', page, per_page: 50 },
      }),
    [all, page],
  );
  if (!list.data) return <Loading error={list.error} what="invite links" />;
  return (
    <>
      <div className="scroll">
        <table>
          <caption className="sr-only">Invite links</caption>
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Made by</th>
              <th scope="col">Permission</th>
              <th scope="col">Used</th>
              <th scope="col">State</th>
              <th scope="col">Ends</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>{what(i)}</td>
                <td>{who(i.owner)}</td>
                <td>{i.permission}</td>
                <td>
                  {i.use_count} of {i.max_uses}
                </td>
                <td>{i.status}</td>
                <td>{when(i.expires_at)}</td>
                <td className="row-actions">
                  {i.status === 'active' && (
                    <ActionButton
                      className="danger"
                      label={`Revoke the invite for ${what(i)} by ${who(i.owner)}`}
                      onClick={async () => {
                        await api.delete('/api/v1/admin/invite-links/{id}', { params: { id: i.id } });
                        await list.reload();
                      }}
                    >
                      Revoke
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data.items.length === 0 && <p>No invite links.</p>}
      <Pager page={page} perPage={list.data.per_page} total={list.data.total} what="invite links" onPage={setPage} />
    </>
  );
}

export function AdminSharing() {
  const { hub } = useAuth();
  const [all, setAll] = useState(false);
  return (
    <section>
      <PageTitle hub={hub?.name}>Shares and invites</PageTitle>
      <AdminNav />
      <div className="field inline-check">
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> Show ended ones too
        </label>
      </div>
      <h2>Shares</h2>
      <ShareList all={all} />
      <h2>Invite links</h2>
      <InviteList all={all} />
    </section>
  );
}
