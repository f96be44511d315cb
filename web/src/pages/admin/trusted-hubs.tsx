import { api, ApiError } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Field, Form, Input } from '../../components/form';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';

type TrustedHubs = components['schemas']['TrustedHubListDto'];
type TrustedHub = components['schemas']['TrustedHubDto'];

function parseJwks(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'request.validation_failed', "jwks: paste the JSON of the hub's /.well-known/jwks.json");
  }
}

export function AdminTrustedHubs() {
  const { hub } = useAuth();
  const list = useLoad(() => api.get<TrustedHubs>('/api/v1/admin/trusted-hubs'));
  const patch = async (h: TrustedHub, body: { blocked: boolean }) => {
    await api.patch('/api/v1/admin/trusted-hubs/{id}', { params: { id: h.id }, body });
    await list.reload();
  };
  return (
    <section>
      <PageTitle hub={hub?.name}>Trusted hubs</PageTitle>
      <AdminNav />
      <p>
        People with an account on a trusted hub can sign in here with an identity token from it (<code>/link</code>).
        Blocking a hub stops its sign-ins at once.
      </p>
      {!list.data ? (
        <Loading error={list.error} what="trusted hubs" />
      ) : list.data.items.length === 0 ? (
        <p>No hub is trusted yet.</p>
      ) : (
        <div className="scroll">
          <table>
            <caption className="sr-only">Trusted hubs</caption>
            <thead>
              <tr>
                <th scope="col">Hub</th>
                <th scope="col">Address</th>
                <th scope="col">Keys</th>
                <th scope="col">Linked users</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((h) => (
                <tr key={h.id}>
                  <td>
                    {h.name} <code>{h.hub_id}</code>
                  </td>
                  <td className="wrap">{h.url}</td>
                  <td className="wrap">{h.key_ids.join(', ')}</td>
                  <td>{h.linked_users}</td>
                  <td>{h.blocked ? `Blocked ${when(h.blocked_at)}` : 'Trusted'}</td>
                  <td>{when(h.created_at)}</td>
                  <td className="row-actions">
                    <ActionButton
                      label={`${h.blocked ? 'Unblock' : 'Block'} ${h.name}`}
                      className={h.blocked ? '' : 'danger'}
                      onClick={() => patch(h, { blocked: !h.blocked })}
                    >
                      {h.blocked ? 'Unblock' : 'Block'}
                    </ActionButton>
                    <ActionButton
                      className="danger"
                      label={`Remove ${h.name}`}
                      confirm={`Remove ${h.name}? Its linked accounts can no longer sign in.`}
                      onClick={async () => {
                        await api.delete('/api/v1/admin/trusted-hubs/{id}', { params: { id: h.id } });
                        await list.reload();
                      }}
                    >
                      Remove
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Trust a hub</h2>
      <Form
        submit="Trust hub"
        label="Trust a hub"
        className="grid"
        codes={{ 'federation.peer_exists': 'hub_id', 'federation.invalid_jwks': 'jwks' }}
        onSubmit={async (v, form) => {
          await api.post('/api/v1/admin/trusted-hubs', {
            body: { hub_id: v.hub_id.trim(), name: v.name.trim(), url: v.url.trim(), jwks: parseJwks(v.jwks) as never },
          });
          form.reset();
          await list.reload();
        }}
      >
        <Input
          name="hub_id"
          label="Hub id"
          required
          autoComplete="off"
          spellCheck={false}
          hint="Its HUB_ID (shown on its Hub info page)"
        />
        <Input name="name" label="Name" required maxLength={200} />
        <Input name="url" label="Address" type="url" required placeholder="https://other-hub.example.com" />
        <Field name="jwks" label="Signing keys (JWKS)" hint="The JSON at its /.well-known/jwks.json">
          {(p) => <textarea {...p} required rows={4} spellCheck={false} />}
        </Field>
      </Form>
    </section>
  );
}
