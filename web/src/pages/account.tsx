import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api/client';
import type { components } from '../api/schema';
import type { User } from '../api/types';
import { useAuth } from '../auth';
import { Form, Input } from '../components/form';
import { CopyField, PageTitle, when } from '../components/ui';

type IdentityToken = components['schemas']['IdentityTokenDto'];
type PasswordChanged = components['schemas']['PasswordChangedDto'];

function DisplayName({ user }: { user: User }) {
  const { setUser } = useAuth();
  const [saved, setSaved] = useState(false);
  return (
    <Form
      submit="Save name"
      label="Change your display name"
      codes={{ 'request.validation_failed': 'display_name' }}
      onSubmit={async (v) => {
        setSaved(false);
        setUser(await api.patch<User>('/api/v1/me', { body: { display_name: v.display_name } }));
        setSaved(true);
      }}
    >
      <Input
        name="display_name"
        label="Display name"
        defaultValue={user.display_name ?? ''}
        required
        maxLength={100}
        autoComplete="name"
        hint="The name the people you share with see"
      />
      {saved && (
        <p className="ok" role="status">
          Your display name is saved.
        </p>
      )}
    </Form>
  );
}

function ChangePassword() {
  const [done, setDone] = useState<PasswordChanged | null>(null);
  return (
    <Form
      submit="Change password"
      label="Change your password"
      codes={{ 'auth.wrong_password': 'current_password', 'auth.rate_limited': 'current_password' }}
      onSubmit={async (v, form) => {
        setDone(null);
        if (v.new_password !== v.confirm_password) {
          throw new ApiError(
            400,
            'request.validation_failed',
            'confirm_password: the two new passwords are not the same',
          );
        }
        setDone(
          await api.post<PasswordChanged>('/api/v1/me/password', {
            body: { current_password: v.current_password, new_password: v.new_password },
          }),
        );
        form.reset();
      }}
    >
      <Input
        name="current_password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Input
        name="new_password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters"
      />
      <Input
        name="confirm_password"
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
      />
      {done && (
        <p className="ok" role="status">
          Your password is changed.{' '}
          {done.sessions_ended
            ? `${done.sessions_ended} other sign-in${done.sessions_ended === 1 ? ' was' : 's were'} ended; this one stays.`
            : 'You were not signed in anywhere else.'}
        </p>
      )}
    </Form>
  );
}

function LinkingToken() {
  const [token, setToken] = useState<IdentityToken | null>(null);
  return (
    <>
      <p>
        Use this account on another Phlix hub without a new password there: make a one-time identity token for that hub
        here, then paste it on that hub's <em>Sign in with another hub</em> page (<code>/link</code>). That hub must
        trust this one.
      </p>
      <Form
        submit="Make identity token"
        label="Make an identity token for another hub"
        codes={{ 'request.validation_failed': 'audience_hub_id', 'federation.invalid_audience': 'audience_hub_id' }}
        onSubmit={async (v) =>
          setToken(
            await api.post<IdentityToken>('/api/v1/me/identity-tokens', {
              body: { audience_hub_id: v.audience_hub_id.trim() },
            }),
          )
        }
      >
        <Input
          name="audience_hub_id"
          label="The other hub's id"
          required
          maxLength={128}
          autoComplete="off"
          spellCheck={false}
          hint="Its HUB_ID, shown on that hub's admin “Hub info” page (for example hub-b)"
        />
      </Form>
      {token && (
        <div className="result">
          <CopyField label="Identity token" value={token.identity_token} multiline />
          <p className="muted">
            For hub <code>{token.audience_hub_id}</code> only; valid until {when(token.expires_at)} and usable once.
          </p>
        </div>
      )}
    </>
  );
}

export function Account() {
  const { user, signOut, hub } = useAuth();
  const nav = useNavigate();
  if (!user) return null;
  const local = !user.linked_hub_id;
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Your account</PageTitle>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.is_admin ? 'Administrator' : 'Member'}</dd>
        {user.linked_hub_id && (
          <>
            <dt>Linked from</dt>
            <dd>{user.linked_hub_id}</dd>
          </>
        )}
      </dl>
      <h2>Display name</h2>
      <DisplayName user={user} />
      {local ? (
        <>
          <h2>Password</h2>
          <ChangePassword />
          <h2>Use this account on another hub</h2>
          <LinkingToken />
        </>
      ) : (
        <p className="muted">
          This account signs in through the hub <code>{user.linked_hub_id}</code>: its password is kept there.
        </p>
      )}
      <h2>Sign out</h2>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          await signOut();
          void nav('/signin', { replace: true });
        }}
      >
        Sign out of this browser
      </button>
    </section>
  );
}
