import { BrowserRouter, Link, Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { AuthProvider, RequireUser, useAuth } from './auth';
import { PageTitle } from './components/ui';
import { Account } from './pages/account';
import { AdminAudit } from './pages/admin/audit';
import { AdminDashboard } from './pages/admin/dashboard';
import { AdminHubInfo } from './pages/admin/hub-info';
import { AdminServers } from './pages/admin/servers';
import { AdminSharing } from './pages/admin/sharing';
import { AdminTrustedHubs } from './pages/admin/trusted-hubs';
import { AdminUsers } from './pages/admin/users';
import { SignIn, SignUp } from './pages/auth-pages';
import { LinkAccount } from './pages/link-account';
import { InviteAccept } from './pages/invite-accept';
import { Invites } from './pages/invites';
import { Legal } from './pages/legal';
import { AddServer, MyServers } from './pages/servers';
import { Shares } from './pages/shares';

function Header() {
  const { user, hub, signOut } = useAuth();
  const nav = useNavigate();
  return (
    <header className="top">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        {hub?.name ?? 'Phlix Hub'}
      </Link>
      <nav aria-label="Main">
        {user ? (
          <>
            <NavLink to="/servers" end>
              My servers
            </NavLink>
            <NavLink to="/servers/add">Add a server</NavLink>
            <NavLink to="/shares">Shares</NavLink>
            <NavLink to="/invites">Invites</NavLink>
            {user.is_admin && <NavLink to="/admin">Admin</NavLink>}
            <NavLink to="/account">Account</NavLink>
            <button
              type="button"
              className="link"
              onClick={async () => {
                await signOut();
                void nav('/signin', { replace: true });
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <>
            <NavLink to="/signin">Sign in</NavLink>
            <NavLink to="/signup">Create account</NavLink>
          </>
        )}
      </nav>
    </header>
  );
}

function Footer() {
  const { hub } = useAuth();
  return (
    <footer className="bottom">
      <span>{hub ? `${hub.name} · version ${hub.version}` : 'Phlix Hub'}</span>
      {hub?.terms_of_service && <Link to="/terms">Terms</Link>}
      {hub?.privacy_policy && <Link to="/privacy">Privacy</Link>}
      {hub?.content_policy && <Link to="/content-policy">Content policy</Link>}
      <a href="/api/docs">API</a>
    </footer>
  );
}

function Home() {
  const { user } = useAuth();
  if (user === undefined) return <p aria-live="polite">Signing you in…</p>;
  return <Navigate to={user ? '/servers' : '/signin'} replace />;
}

function NotFound() {
  return (
    <section className="narrow">
      <PageTitle>Page not found</PageTitle>
      <p>
        There is no page here. <Link to="/">Go to the start</Link>.
      </p>
    </section>
  );
}

const user = (el: React.ReactNode, admin = false) => <RequireUser admin={admin}>{el}</RequireUser>;

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Header />
        <main id="main">
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/signin" element={<SignIn />} />
            <Route path="/signup" element={<SignUp />} />
            <Route path="/link" element={<LinkAccount />} />
            <Route path="/invite/:token" element={<InviteAccept />} />
            <Route path="/terms" element={<Legal page="terms" />} />
            <Route path="/privacy" element={<Legal page="privacy" />} />
            <Route path="/content-policy" element={<Legal page="content" />} />
            <Route path="/servers" element={user(<MyServers />)} />
            <Route path="/servers/add" element={user(<AddServer />)} />
            <Route path="/shares" element={user(<Shares />)} />
            <Route path="/invites" element={user(<Invites />)} />
            <Route path="/account" element={user(<Account />)} />
            <Route path="/admin" element={user(<AdminDashboard />, true)} />
            <Route path="/admin/users" element={user(<AdminUsers />, true)} />
            <Route path="/admin/servers" element={user(<AdminServers />, true)} />
            <Route path="/admin/sharing" element={user(<AdminSharing />, true)} />
            <Route path="/admin/audit" element={user(<AdminAudit />, true)} />
            <Route path="/admin/trusted-hubs" element={user(<AdminTrustedHubs />, true)} />
            <Route path="/admin/hub" element={user(<AdminHubInfo />, true)} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </main>
        <Footer />
      </AuthProvider>
    </BrowserRouter>
  );
}
