import { useState } from 'react';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Pager } from '../../components/pager';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';

type ServerPage = components['schemas']['AdminServerPageDto'];
type Status = NonNullable<components['schemas']['AdminServerDto']['status']>;
const STATUSES: [Status | '', string][] = [
  ['', 'Any state'],
  ['online', 'Online'],
  ['offline', 'Offline'],
  ['claiming', 'Being claimed'],
  ['disabled', 'Owner disabled'],
  ['released', 'Released'],
];

export function AdminServers() {
  const { hub } = useAuth();
  const [filter, setFilter] = useState<{ q?: string; status?: Status }>({});
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api.get<ServerPage>('/api/v1/admin/servers', { query: { ...filter, page, per_page: 50 } }),
    [filter, page],
  );
  return (
    <section>
      <PageTitle hub={hub?.name}>Servers</PageTitle>
      <AdminNav />
      <form
        role="search"
        aria-label="Find servers"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setFilter({
            q: String(f.get('q') ?? '').trim() || undefined,
            status: (String(f.get('status') ?? '') || undefined) as Status | undefined,
          });
          setPage(1);
        }}
      >
        <div className="field">
          <label htmlFor="server-q">Name contains</label>
          <input id="server-q" name="q" type="search" />
        </div>
        <div className="field">
          <label htmlFor="server-status">State</label>
          <select id="server-status" name="status">
            {STATUSES.map(([v, t]) => (
              <option key={v} value={v}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {!list.data ? (
        <Loading error={list.error} what="servers" />
      ) : (
        <>
          <div className="scroll">
            <table>
              <caption className="sr-only">Servers on this hub</caption>
              <thead>
                <tr>
                  <th scope="col">Server</th>
                  <th scope="col">Owner</th>
                  <th scope="col">State</th>
                  <th scope="col">Relay</th>
                  <th scope="col">Version</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.name}
                      {s.library_count !== null ? ` (${s.library_count} libraries)` : ''}
                    </td>
                    <td>{s.owner ? s.owner.username : '—'}</td>
                    <td>{s.status}</td>
                    <td>{s.relay_active ? 'On' : 'Off'}</td>
                    <td>{s.version || '—'}</td>
                    <td>{when(s.last_seen_at)}</td>
                    <td className="row-actions">
                      {s.owner_id && (
                        <ActionButton
                          className="danger"
                          label={`Release ${s.name}`}
                          confirm={`Release ${s.name} from ${s.owner?.username ?? 'its owner'}? Its tunnel closes and its shares end.`}
                          onClick={async () => {
                            await api.post('/api/v1/admin/servers/{id}/release', { params: { id: s.id } });
                            await list.reload();
                          }}
                        >
                          Release
                        </ActionButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.items.length === 0 && <p>No server matches.</p>}
          <Pager page={page} perPage={list.data.per_page} total={list.data.total} what="servers" onPage={setPage} />
        </>
      )}
    </section>
  );
}
