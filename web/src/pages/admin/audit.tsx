import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Form, Input, Select } from '../../components/form';
import { Pager } from '../../components/pager';
import { Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';

type AuditPage = components['schemas']['AuditPageDto'];
type Query = Record<string, string | undefined>;

/** A datetime-local value (the browser's time zone) as ISO-8601, or undefined when empty. */
function iso(v: string, name: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new ApiError(400, 'request.validation_failed', `${name}: enter a date and time`);
  return d.toISOString();
}

export function AdminAudit() {
  const { hub } = useAuth();
  const [filter, setFilter] = useState<Query>({});
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api.get<AuditPage>('/api/v1/admin/audit-logs', { query: { ...filter, page, per_page: 50 } as never }),
    [filter, page],
  );
  return (
    <section>
      <PageTitle hub={hub?.name}>Audit log</PageTitle>
      <AdminNav />
      <Form
        submit="Filter"
        label="Filter the audit log"
        className="filters"
        onSubmit={(v) => {
          const f: Query = {
            action: v.action.trim() || undefined,
            outcome: v.outcome || undefined,
            actor: v.actor.trim() || undefined,
            target_type: v.target_type.trim() || undefined,
            target: v.target.trim() || undefined,
            since: iso(v.since, 'since'),
            until: iso(v.until, 'until'),
          };
          setFilter(f);
          setPage(1);
        }}
      >
        <Input
          name="action"
          label="Action"
          placeholder="server.* or auth.login_failed"
          list="audit-actions"
          autoComplete="off"
          spellCheck={false}
        />
        <datalist id="audit-actions">
          {[
            'auth.*',
            'auth.login_failed',
            'auth.password_changed',
            'admin.*',
            'server.*',
            'server.renamed',
            'share.*',
            'invite.*',
            'relay.*',
            'federation.*',
          ].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <Select
          name="outcome"
          label="Outcome"
          options={[
            ['', 'Any'],
            ['success', 'Success'],
            ['failure', 'Failure'],
            ['denied', 'Denied'],
          ]}
        />
        <Input name="actor" label="Actor id" autoComplete="off" spellCheck={false} />
        <Input name="target_type" label="Target type" placeholder="user, server, share…" autoComplete="off" />
        <Input name="target" label="Target id" autoComplete="off" spellCheck={false} />
        <Input name="since" label="From" type="datetime-local" />
        <Input name="until" label="Until" type="datetime-local" />
      </Form>
      {!list.data ? (
        <Loading error={list.error} what="the audit log" />
      ) : (
        <>
          <div className="scroll">
            <table>
              <caption className="sr-only">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">By</th>
                  <th scope="col">Target</th>
                  <th scope="col">Address</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>{when(a.at)}</td>
                    <td>
                      <code>{a.action}</code>
                    </td>
                    <td>{a.outcome}</td>
                    <td>
                      {a.actor_username ?? a.actor_type}
                      {a.actor_id && !a.actor_username ? ` ${a.actor_id}` : ''}
                    </td>
                    <td className="wrap">{a.target_type ? `${a.target_type} ${a.target_id ?? ''}` : '—'}</td>
                    <td>{a.ip ?? '—'}</td>
                    <td className="wrap">{a.details ? <code>{JSON.stringify(a.details)}</code> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.items.length === 0 && <p>No entries match.</p>}
          <Pager page={page} perPage={list.data.per_page} total={list.data.total} what="entries" onPage={setPage} />
        </>
      )}
    </section>
  );
}
