import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { AuthAnswer } from '../api/types';
import { useAuth } from '../auth';
import { Field, Form } from '../components/form';
import { PageTitle } from '../components/ui';

/** Sign in here with an account of another hub: the identity token that hub made for this one. */
export function LinkAccount() {
  const { hub, adopt } = useAuth();
  const nav = useNavigate();
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Sign in with another hub</PageTitle>
      <p>
        Have an account on another Phlix hub that this hub trusts? On that hub open{' '}
        <em>Account → Use this account on another hub</em>, make an identity token for this hub
        {hub ? (
          <>
            {' '}
            (its id is <code>{hub.hub_id}</code>)
          </>
        ) : null}
        , and paste it here. Your account there is linked to one here; no new password is needed.
      </p>
      <Form
        submit="Link and sign in"
        label="Link an account of another hub"
        codes={{
          'request.validation_failed': 'identity_token',
          'federation.peer_untrusted': 'identity_token',
          'federation.invalid_identity_token': 'identity_token',
          'federation.identity_token_expired': 'identity_token',
          'federation.identity_token_replayed': 'identity_token',
          'federation.wrong_audience': 'identity_token',
          'federation.peer_blocked': 'identity_token',
          'auth.user_disabled': 'identity_token',
          'auth.rate_limited': 'identity_token',
        }}
        onSubmit={async (v) => {
          adopt(await api.post<AuthAnswer>('/api/v1/auth/link', { body: { identity_token: v.identity_token.trim() } }));
          void nav('/shares', { replace: true });
        }}
      >
        <Field name="identity_token" label="Identity token">
          {(p) => <textarea {...p} required rows={4} spellCheck={false} autoComplete="off" />}
        </Field>
      </Form>
      <p>
        Have an account on this hub? <Link to="/signin">Sign in</Link>
      </p>
    </section>
  );
}
