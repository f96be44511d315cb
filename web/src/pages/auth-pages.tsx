import { Link, useLocation, useNavigate } from 'react-router';
import { nextPath, useAuth } from '../auth';
import { Form, Input } from '../components/form';
import { PageTitle } from '../components/ui';

export function SignIn() {
  const { signIn, hub } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Sign in</PageTitle>
      <Form
        submit="Sign in"
        label="Sign in"
        codes={{
          'auth.invalid_credentials': 'password',
          'auth.user_disabled': 'login',
          'auth.rate_limited': 'password',
        }}
        onSubmit={async (v) => {
          await signIn(v.login.trim(), v.password);
          void nav(nextPath(loc.search), { replace: true });
        }}
      >
        <Input name="login" label="Username or email" autoComplete="username" required autoFocus />
        <Input name="password" label="Password" type="password" autoComplete="current-password" required />
      </Form>
      <p>
        New here? <Link to={`/signup${loc.search}`}>Create an account</Link>
      </p>
      <p>
        Have an account on another Phlix hub? <Link to="/link">Sign in with another hub</Link>
      </p>
    </section>
  );
}

export function SignUp() {
  const { signUp, hub } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>Create an account</PageTitle>
      <Form
        submit="Create account"
        label="Create an account"
        codes={{ 'user.username_taken': 'username', 'user.email_taken': 'email', 'auth.signups_disabled': 'username' }}
        onSubmit={async (v) => {
          await signUp({
            username: v.username.trim(),
            email: v.email.trim(),
            password: v.password,
            ...(v.display_name.trim() ? { display_name: v.display_name.trim() } : {}),
          });
          void nav(nextPath(loc.search), { replace: true });
        }}
      >
        <Input
          name="username"
          label="Username"
          autoComplete="username"
          required
          minLength={3}
          maxLength={50}
          hint="3–50 letters, digits, _ . or -"
          autoFocus
        />
        <Input name="email" label="Email" type="email" autoComplete="email" required />
        <Input name="display_name" label="Display name (optional)" autoComplete="name" maxLength={100} />
        <Input
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters"
        />
      </Form>
      {hub?.terms_of_service && (
        <p>
          By creating an account you accept the <Link to="/terms">terms of service</Link>.
        </p>
      )}
      <p>
        Have an account? <Link to={`/signin${loc.search}`}>Sign in</Link>
      </p>
    </section>
  );
}
