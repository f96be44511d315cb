import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { InvitePreview, Share } from '../api/types';
import { useAuth } from '../auth';
import { ActionButton, Loading, PageTitle, useLoad, when } from '../components/ui';
import { PERMISSION_WORDS } from './scope-picker';

/** /invite/<token>: what the link offers, then sign in or create an account, then accept. */
export function InviteAccept() {
  const { token = '' } = useParams();
  const { user, hub } = useAuth();
  const preview = useLoad(() => api.get<InvitePreview>('/api/v1/invite-links/{token}', { params: { token } }), [token]);
  const [accepted, setAccepted] = useState<Share | null>(null);
  const here = `/invite/${encodeURIComponent(token)}`;
  const p = preview.data;
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>You are invited</PageTitle>
      {!p ? (
        preview.error ? (
          <p className="error" role="alert">
            This invite link cannot be used: {preview.error}
          </p>
        ) : (
          <Loading error={null} what="the invite" />
        )
      ) : (
        <>
          <p className="lead">
            {p.inviter_display_name ?? 'Someone'} invites you to <strong>{p.server_name ?? 'a server'}</strong>
            {p.scope === 'library' ? (
              <>
                {' '}
                (library <strong>{p.library_name}</strong>)
              </>
            ) : (
              ' (every library)'
            )}
            .
          </p>
          <dl className="facts">
            <dt>Permission</dt>
            <dd>{PERMISSION_WORDS[p.permission] ?? p.permission}</dd>
            <dt>Link expires</dt>
            <dd>{when(p.expires_at)}</dd>
          </dl>
          {accepted ? (
            <p role="status" className="ok">
              Accepted: {accepted.server_name} is shared with you. See it under <Link to="/shares">Shares</Link>.
            </p>
          ) : user === undefined ? (
            <p aria-live="polite">Signing you in…</p>
          ) : user ? (
            <ActionButton
              onClick={async () =>
                setAccepted(await api.post<Share>('/api/v1/invite-links/{token}/redeem', { params: { token } }))
              }
            >
              Accept invite as {user.display_name ?? user.username}
            </ActionButton>
          ) : (
            <p className="actions">
              <Link className="button" to={`/signin?next=${encodeURIComponent(here)}`}>
                Sign in to accept
              </Link>
              <Link className="button secondary" to={`/signup?next=${encodeURIComponent(here)}`}>
                Create an account
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
