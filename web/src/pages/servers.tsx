import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { ClaimAnswer, ClaimToken, Library, ServerInfo } from '../api/types';
import { useAuth } from '../auth';
import { Form, Input } from '../components/form';
import { OpenServer } from '../components/open-server';
import { ActionButton, CopyField, Loading, PageTitle, useLoad, when } from '../components/ui';

const PROTO = { 'Accept-Phlix-Protocol': 'v1' };

export function useServers() {
  return useLoad(async () => {
    const [s, l] = await Promise.all([
      api.get<{ servers: ServerInfo[] }>('/api/v1/me/servers'),
      api.get<{ libraries: Library[] }>('/api/v1/me/libraries'),
    ]);
    return { servers: s.servers, libraries: l.libraries };
  });
}

function Rename({ s, done }: { s: ServerInfo; done: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="secondary" aria-label={`Rename ${s.serverName}`} onClick={() => setOpen(true)}>
        Rename
      </button>
    );
  }
  return (
    <Form
      submit="Save name"
      label={`Rename ${s.serverName}`}
      className="inline"
      codes={{ 'request.validation_failed': 'name' }}
      onSubmit={async (v) => {
        await api.patch('/api/v1/me/servers/{id}', { params: { id: s.serverId }, body: { name: v.name } });
        setOpen(false);
        await done();
      }}
    >
      <Input name="name" label="Server name" defaultValue={s.serverName} required maxLength={255} autoFocus />
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </Form>
  );
}

function StatusBadge({ s }: { s: ServerInfo }) {
  const online = s.status === 'online';
  return (
    <span className={`badge ${online ? 'ok' : 'off'}`}>
      {online ? 'Online' : s.status === 'offline' ? 'Offline' : s.status}
    </span>
  );
}

/** Whether the hub reaches `serverId` through its tunnel right now. */
async function stillOnline(serverId: string): Promise<boolean> {
  const now = await api.get<{ servers: ServerInfo[] }>('/api/v1/me/servers');
  return now.servers.some((x) => x.serverId === serverId && x.status === 'online' && x.relayActive);
}

export function MyServers() {
  const { hub } = useAuth();
  const { data, error, reload } = useServers();
  return (
    <section>
      <div className="heading-row">
        <PageTitle hub={hub?.name}>My servers</PageTitle>
        <Link className="button" to="/servers/add">
          Add a server
        </Link>
      </div>
      {!data ? (
        <Loading error={error} what="your servers" />
      ) : data.servers.length === 0 ? (
        <p>
          You have no servers yet. <Link to="/servers/add">Add a server</Link> with the code it shows.
        </p>
      ) : (
        <ul className="cards" aria-label="Your servers">
          {data.servers.map((s) => {
            const libs = data.libraries.filter((l) => l.server_id === s.serverId);
            return (
              <li key={s.serverId} className="card">
                <h2>
                  {s.serverName} <StatusBadge s={s} />
                </h2>
                <dl className="facts">
                  <dt>Version</dt>
                  <dd>{s.version || '—'}</dd>
                  <dt>Last seen</dt>
                  <dd>{when(s.lastSeenAt)}</dd>
                  <dt>Relay</dt>
                  <dd>
                    {s.relayActive
                      ? 'On: connected to the hub, reachable from anywhere'
                      : 'Off: not connected to the hub now'}
                  </dd>
                  <dt>Libraries</dt>
                  <dd>
                    {libs.length
                      ? libs.map((l) => l.name).join(', ')
                      : s.libraryCount
                        ? `${s.libraryCount} (not yet reported by name)`
                        : 'none reported'}
                  </dd>
                  {s.hostnameCandidates.length > 0 && (
                    <>
                      <dt>Addresses</dt>
                      <dd>{s.hostnameCandidates.join(', ')}</dd>
                    </>
                  )}
                </dl>
                <div className="actions">
                  {s.status === 'online' && s.relayActive && (
                    <OpenServer serverId={s.serverId} name={s.serverName} stillOnline={() => stillOnline(s.serverId)} />
                  )}
                  <Rename s={s} done={reload} />
                  <ActionButton
                    className="danger"
                    label={`Release ${s.serverName}`}
                    confirm={`Release ${s.serverName}? Its shares and invite links end; the server must be claimed again to come back.`}
                    onClick={async () => {
                      await api.delete('/api/v1/me/servers/{id}', { params: { id: s.serverId } });
                      await reload();
                    }}
                  >
                    Release
                  </ActionButton>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function AddServer() {
  const { hub } = useAuth();
  const nav = useNavigate();
  const [token, setToken] = useState<ClaimToken | null>(null);
  const hubUrl = hub?.public_url ?? window.location.origin;
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Add a server</PageTitle>
      <h2>With the code the server shows</h2>
      <p>
        A Phlix server, or <code>phlix-hub agent</code> in front of any HTTP server, shows a claim code such as{' '}
        <code>ABCD-EFGH</code> when it first connects to this hub.
      </p>
      <Form
        submit="Claim server"
        label="Claim a server by code"
        codes={{
          'claim.code_not_found': 'claim_code',
          'claim.code_expired': 'claim_code',
          'claim.code_already_claimed': 'claim_code',
          'claim.server_already_claimed': 'claim_code',
          'claim.rate_limited': 'claim_code',
          'request.validation_failed': 'claim_code',
        }}
        onSubmit={async (v) => {
          await api.post<ClaimAnswer>('/api/v1/server-claims/claim', {
            body: { claim_code: v.claim_code.trim().toUpperCase() },
            headers: PROTO,
          });
          void nav('/servers');
        }}
      >
        <Input
          name="claim_code"
          label="Claim code"
          required
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="ABCD-EFGH"
          maxLength={64}
        />
      </Form>
      <h2>Without a screen (headless)</h2>
      <p>
        Make a one-time claim token (valid for 10 minutes) and start the agent with it: the server is added to your
        account as soon as it connects.
      </p>
      <ActionButton onClick={async () => setToken(await api.post<ClaimToken>('/api/v1/me/claim-tokens'))}>
        {token ? 'Make another token' : 'Make a claim token'}
      </ActionButton>
      {token && (
        <div className="result">
          <CopyField label="Claim token" value={token.claim_token} />
          <CopyField
            label="Agent command line"
            multiline
            value={`node dist/cli.js agent --hub ${hubUrl} --origin http://127.0.0.1:8096 --claim-token ${token.claim_token}`}
          />
          <p className="muted">
            Valid until {when(token.expires_at)}; it can be used once. Replace the <code>--origin</code> with the
            address of your media server.
          </p>
        </div>
      )}
    </section>
  );
}
