import { useState } from 'react';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { Field, Form, Input } from '../../components/form';
import { Loading, PageTitle, useLoad } from '../../components/ui';
import { AdminNav } from './nav';

type AdminHubInfo = components['schemas']['AdminHubInfoDto'];
type Key = 'name' | 'public_url' | 'terms_of_service' | 'privacy_policy' | 'content_policy';

const KEYS: Key[] = ['name', 'public_url', 'terms_of_service', 'privacy_policy', 'content_policy'];
const TEXTS: [Key, string][] = [
  ['terms_of_service', 'Terms of service'],
  ['privacy_policy', 'Privacy policy'],
  ['content_policy', 'Content policy'],
];

/** '' → null: the setting falls back to the environment's value. */
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

export function AdminHubInfo() {
  const { hub } = useAuth();
  const info = useLoad(() => api.get<AdminHubInfo>('/api/v1/admin/hub-info'));
  const [saved, setSaved] = useState(false);
  const d = info.data;
  const source = (k: Key) => (d?.sources[k] === 'admin' ? 'set here' : 'from the environment');
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Hub info</PageTitle>
      <AdminNav />
      {!d ? (
        <Loading error={info.error} what="hub info" />
      ) : (
        <>
          <dl className="facts">
            <dt>Hub id</dt>
            <dd>
              <code>{d.hub_id}</code>
            </dd>
            <dt>Version</dt>
            <dd>{d.version}</dd>
            <dt>Account linking</dt>
            <dd>
              {d.federation.manual_account_linking ? 'On' : 'Off'} (keys at <code>{d.federation.jwks_uri}</code>)
            </dd>
          </dl>
          <Form
            submit="Save hub info"
            label="Hub info"
            onSubmit={async (v) => {
              setSaved(false);
              // only what was changed: an untouched value keeps coming from where it comes from now
              const body: Partial<Record<Key, string | null>> = {};
              for (const k of KEYS) if (v[k].trim() !== (d[k] ?? '').trim()) body[k] = orNull(v[k]);
              await api.put('/api/v1/admin/hub-info', { body });
              await info.reload();
              setSaved(true);
            }}
          >
            <Input
              name="name"
              label="Name"
              defaultValue={d.name}
              maxLength={200}
              hint={`Now ${source('name')}. Empty: the environment's value.`}
            />
            <Input
              name="public_url"
              label="Public address"
              type="url"
              defaultValue={d.public_url}
              hint={`Now ${source('public_url')}. Used in invite links and relay URLs.`}
            />
            {TEXTS.map(([k, label]) => (
              <Field
                key={k}
                name={k}
                label={label}
                hint={`Text or a URL; now ${source(k)}. Empty: the environment's value.`}
              >
                {(p) => <textarea {...p} rows={4} defaultValue={d[k] ?? ''} />}
              </Field>
            ))}
            {saved && (
              <p className="ok" role="status">
                Saved.
              </p>
            )}
          </Form>
        </>
      )}
    </section>
  );
}
