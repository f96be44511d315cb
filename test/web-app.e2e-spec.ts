import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestHub, registerAdmin, TestHub } from './helpers/hub.js';
import { heartbeatBody, makeServerKey, pollClaim, PROTO, startClaim } from './helpers/servers.js';
import { browserDescribe, CHROMIUM_FLAGS, chromiumPath, WEB_DIST } from './helpers/browser.js';
import { RelayUsageService } from '../src/relay/limits/usage.service.js';

/**
 * The built web app (web/dist) in a real Chromium against a real hub listening on a port: sign up,
 * sign out, sign in, claim a server by the code it shows, make an invite, accept it in a second
 * browser as a second user, see the share on both sides, rename the server, the admin pages (relay
 * limits, servers, shares and invites, the audit log filtered, trusted hubs, hub info), change the
 * password and sign in with the new one, use an identity token to sign in on a second hub that
 * trusts the first, and sign out.
 *
 * Chromium is Debian's (`apt-get install chromium`; CHROMIUM_PATH to use another); .ci/run installs
 * it. Missing locally: the suite is skipped with a note; under CI it fails.
 * Only on SQLite: the app talks to the API alone, whose behaviour on MariaDB the API suites cover.
 * WEB_SCREENSHOTS=1 writes a PNG of every screen to docs/screenshots/ (npm run screenshots).
 */
const ROOT = resolve('.');
const run = browserDescribe('web-app');

const SHOTS = process.env.WEB_SCREENSHOTS
  ? join(ROOT, 'docs', 'screenshots')
  : mkdtempSync(join(tmpdir(), 'phlix-shots-'));

run('web app in a browser', () => {
  let hub: TestHub;
  let browser: Browser;
  let base: string;
  let owner: BrowserContext;
  let page: Page;
  const PASSWORD = 'correct horse battery';
  const errors: string[] = [];

  async function shot(p: Page, name: string, fullPage = false) {
    await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  }
  function watch(p: Page) {
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
    });
  }
  async function newContext(viewport = { width: 1100, height: 760 }) {
    const ctx = await browser.newContext({ viewport });
    const p = await ctx.newPage();
    watch(p);
    return { ctx, p };
  }

  beforeAll(async () => {
    if (!chromiumPath) {
      throw new Error('Chromium is missing (CI requires it): apt-get install chromium, or set CHROMIUM_PATH');
    }
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      throw new Error('web/dist is missing: run `npm run build` first (npm test does)');
    }
    mkdirSync(SHOTS, { recursive: true });
    hub = await createTestHub({
      listen: true,
      now: Date.now(),
      env: {
        HUB_WEB_DIR: WEB_DIST,
        HUB_NAME: 'Phlix Hub',
        HUB_TERMS_OF_SERVICE: 'Be kind. Share only what you may share.',
      },
    });
    base = await hub.app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
    hub.cfg.http.publicUrl = base; // the address the browser uses: cookie sessions accept requests from this origin only
    const { chromium } = await import('playwright-core');
    // a fresh profile every run: launch() starts Chromium with a new temporary --user-data-dir of its own
    // (deleted at close; it refuses the flag in args) and each newContext() is a clean incognito-like profile
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
    ({ ctx: owner, p: page } = await newContext());
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (!process.env.WEB_SCREENSHOTS) rmSync(SHOTS, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('sign up (first account: the admin), sign out, a wrong password in words, sign in', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/signin$/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Display name (optional)').fill('Alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await shot(page, 'sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole('heading', { name: 'My servers' }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const err = page.getByRole('alert');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/invalid|incorrect|wrong/i);
    // the error is attached to the password field
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'sign-in-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByText('You have no servers yet').waitFor();
    // a cookie session: no token in any storage or readable cookie (only the CSRF cookie); a reload resumes the session
    expect(
      await page.evaluate(
        '[sessionStorage.length, localStorage.length, document.cookie.split("; ").map((c) => c.split("=")[0])]',
      ),
    ).toEqual([0, 0, ['phlix_csrf']]);
    const cookies = await owner.cookies();
    expect(cookies.find((c) => c.name === 'phlix_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    await page.reload();
    await page.getByText('You have no servers yet').waitFor();
    expect(page.url()).toMatch(/\/servers$/);
    await shot(page, 'my-servers-empty');
  }, 60000);

  it('a bad claim code is refused next to the field; the code a server shows claims it', async () => {
    const key = makeServerKey();
    const claim = await startClaim(hub, key, { name: 'Living room NAS', version: '0.46.1' });
    await page.getByRole('link', { name: 'Add a server' }).first().click();
    await page.getByRole('heading', { name: 'Add a server' }).waitFor();
    await page.getByLabel('Claim code').fill('ZZZZ-ZZZZ');
    await page.getByRole('button', { name: 'Claim server' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Claim code').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Make a claim token' }).click();
    const cmd = page.getByLabel('Agent command line');
    await cmd.waitFor();
    expect(await cmd.inputValue()).toMatch(/agent --hub \S+ --origin \S+ --claim-token phlix-claim-\S+$/);
    await shot(page, 'add-server');

    await page.getByLabel('Claim code').fill(claim.claimCode.toLowerCase());
    await page.getByRole('button', { name: 'Claim server' }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole('heading', { name: /Living room NAS/ }).waitFor();

    // the server picks up its enrollment and reports in, with two libraries
    const polled = await pollClaim(hub, claim.claimId);
    expect(polled.body.status).toBe('claimed');
    const auth = { Authorization: `Bearer ${polled.body.enrollment_jwt}`, ...PROTO };
    const hb = await hub
      .http()
      .post(`/api/v1/servers/${polled.body.server_id}/heartbeat`)
      .set(auth)
      .send(
        heartbeatBody(polled.body.server_id, {
          version: '0.46.1',
          timestamp: Math.floor(Date.now() / 1000),
          libraries: [
            { library_id: 'lib-movies', library_name: 'Movies' },
            { library_id: 'lib-tv', library_name: 'TV Shows' },
          ],
        }),
      );
    expect(hb.status).toBe(200);
    await page.reload();
    const card = page.getByRole('listitem').filter({ hasText: 'Living room NAS' });
    await card.getByText('Online').waitFor();
    expect(await card.textContent()).toContain('Movies, TV Shows');
    expect(await card.textContent()).toContain('0.46.1');
  }, 60000);

  let inviteUrl = '';
  it('creates an invite link to copy', async () => {
    await page.getByRole('link', { name: 'Invites' }).click();
    await page.getByRole('heading', { name: 'Make an invite link' }).waitFor();
    await page.getByLabel('Libraries').selectOption({ label: 'Movies' });
    await page.getByLabel('Permission').selectOption('play');
    await page.getByLabel('How many people may use it').fill('3');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = page.getByRole('textbox', { name: 'Invite link', exact: true });
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[\w.-]+$/);
    await page.getByRole('cell', { name: '0 of 3' }).waitFor();
    await shot(page, 'invites');
  }, 60000);

  it('a second person opens the link, signs up from it, accepts, and sees the share', async () => {
    const { ctx, p } = await newContext({ width: 390, height: 780 });
    try {
      await p.goto(`${base}${new URL(inviteUrl).pathname}`);
      await p.getByText('Living room NAS').first().waitFor();
      expect(await p.textContent('main')).toContain('Movies');
      await shot(p, 'invite-preview-phone');
      await p.getByRole('link', { name: 'Create an account' }).first().click();
      await p.getByLabel('Username').fill('bob');
      await p.getByLabel('Email').fill('bob@example.test');
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.waitForURL(/\/invite\//);
      await p.getByRole('button', { name: /Accept invite as bob/ }).click();
      await p.getByText('Accepted').waitFor();
      await shot(p, 'invite-accepted-phone');
      await p.getByRole('link', { name: 'Shares' }).last().click();
      const incoming = p.getByRole('list', { name: 'Shared with you' });
      await incoming.waitFor();
      expect(await incoming.textContent()).toContain('Living room NAS');
      // the server's state and a way to open it through the hub
      expect(await incoming.textContent()).toContain('Offline');
      expect(await incoming.getByRole('button', { name: 'Open Living room NAS' }).count()).toBe(1);
      await shot(p, 'shares-incoming-phone');
      // accepting twice is refused in words
      await p.goto(`${base}${new URL(inviteUrl).pathname}`);
      await p.getByRole('button', { name: /Accept invite/ }).click();
      expect(await p.getByRole('alert').textContent()).toMatch(/already/i);
    } finally {
      await ctx.close();
    }
  }, 60000);

  it('the owner sees the share, changes it; the admin dashboard; users: disable, enable, relay limits', async () => {
    await page.getByRole('link', { name: 'Shares' }).click();
    const row = page.getByRole('row').filter({ hasText: 'bob' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Movies');
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Permission').selectOption('view');
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'bob' }).getByRole('cell', { name: 'view', exact: true }).waitFor();
    await shot(page, 'shares');

    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.locator('.stat', { hasText: 'Accounts' }).getByText('2').waitFor();
    await shot(page, 'admin-dashboard');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Disable bob' }).click();
    await page.getByRole('row').filter({ hasText: 'bob' }).getByRole('cell', { name: 'Disabled' }).waitFor();
    await page.getByRole('button', { name: 'Enable bob' }).click();
    await page.getByRole('row').filter({ hasText: 'bob' }).getByRole('cell', { name: 'Active' }).waitFor();
    // relay limits: a bad figure in words next to its field, then a speed limit saved
    await page.getByRole('button', { name: 'Relay limits of bob' }).click();
    const limits = page.getByRole('group', { name: 'Relay limits of bob' });
    await limits.getByLabel('Speed limit (Mbit/s)').fill('0.001');
    await limits.getByRole('button', { name: 'Save speed limit' }).click();
    await limits.getByRole('alert').waitFor();
    expect(await limits.getByLabel('Speed limit (Mbit/s)').getAttribute('aria-invalid')).toBe('true');
    await limits.getByLabel('Speed limit (Mbit/s)').fill('5');
    await limits.getByRole('button', { name: 'Save speed limit' }).click();
    await limits.getByText('speed 5 Mbit/s').waitFor();
    await shot(page, 'admin-users', true);
  }, 60000);

  it('renames a server on My servers; a blank name is refused in words', async () => {
    await page.getByRole('link', { name: 'My servers' }).click();
    await page.getByRole('button', { name: 'Rename Living room NAS' }).click();
    const form = page.getByRole('form', { name: 'Rename Living room NAS' });
    await form.getByLabel('Server name').fill('   ');
    await form.getByRole('button', { name: 'Save name' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByLabel('Server name').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Server name').fill('Den');
    await form.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: /^Den/ }).waitFor();
    const card = page.getByRole('listitem').filter({ hasText: 'Den' });
    expect(await card.textContent()).toContain('Relay');
    expect(await card.textContent()).toContain('Last seen');
    await shot(page, 'my-servers');
  }, 60000);

  it('admin: the relay chart, servers, shares and invites, the audit log filtered, trusted hubs, hub info', async () => {
    // relayed bytes as the relay counts them: this month and two months ago
    const [{ id: aliceId }] = await hub.ds.query("SELECT id FROM users WHERE username = 'alice'");
    const [{ id: denId }] = await hub.ds.query("SELECT id FROM servers WHERE name = 'Den'");
    const month = (back: number) => {
      const d = new Date();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() - back);
      return d.toISOString().slice(0, 7);
    };
    const usage = hub.get(RelayUsageService);
    usage.add(month(0), aliceId, denId, 3_000_000_000, 200_000_000);
    usage.add(month(2), aliceId, denId, 1_500_000_000, 0);
    await usage.flush();
    await page.getByRole('link', { name: 'Admin' }).click();
    const chart = page.getByRole('img', { name: /Relayed bytes per month/ });
    await chart.waitFor();
    const figures = (await chart.getAttribute('aria-label'))!
      .split('. ')[1]
      .split(', ')
      .map((x) => x.split(': ')[1]);
    expect(figures).toEqual(['0 B', '0 B', '0 B', '1.5 GB', '0 B', '3.2 GB']);
    await shot(page, 'admin-dashboard', true);
    const adminNav = page.getByRole('navigation', { name: 'Administration' });

    await adminNav.getByRole('link', { name: 'Servers' }).click();
    await page.getByRole('row').filter({ hasText: 'Den' }).getByRole('cell', { name: 'alice' }).waitFor();
    await shot(page, 'admin-servers');

    await adminNav.getByRole('link', { name: 'Shares and invites' }).click();
    await page.getByRole('row').filter({ hasText: 'bob' }).getByRole('cell', { name: 'view', exact: true }).waitFor();
    await page.getByRole('row').filter({ hasText: '1 of 3' }).waitFor();
    await shot(page, 'admin-sharing');

    await adminNav.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'auth.register' }).first().waitFor();
    await page.getByLabel('Action').fill('server.renamed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Page 1 of 1 (1 entries)').waitFor();
    const renamed = page.getByRole('row').filter({ hasText: 'server.renamed' });
    expect(await renamed.textContent()).toContain('"to":"Den"');
    expect(await page.getByRole('cell', { name: 'auth.register' }).count()).toBe(0);
    // the wrong password at the start is there under failures
    await page.getByLabel('Action').fill('auth.*');
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'auth.login_failed' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'auth.login', exact: true }).count()).toBe(0);
    await shot(page, 'admin-audit');
    // on a phone the filters stack and the table's rows become blocks
    await page.setViewportSize({ width: 390, height: 780 });
    await page.getByRole('cell', { name: 'auth.login_failed' }).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, 'admin-audit-phone', true);
    await page.setViewportSize({ width: 1100, height: 760 });

    await adminNav.getByRole('link', { name: 'Trusted hubs' }).click();
    await page.getByLabel('Hub id').fill('hub-b');
    await page.getByLabel('Name', { exact: true }).fill('Hub B');
    await page.getByLabel('Address').fill('https://hub-b.example.test');
    await page.getByLabel('Signing keys (JWKS)').fill('{not json');
    await page.getByRole('button', { name: 'Trust hub' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Signing keys (JWKS)').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'admin-trusted-hubs');

    await adminNav.getByRole('link', { name: 'Hub info' }).click();
    await page.getByLabel('Name', { exact: true }).fill("Alice's hub");
    await page.getByRole('button', { name: 'Save hub info' }).click();
    await page.getByText('Saved.').waitFor();
    await shot(page, 'admin-hub-info');
  }, 60000);

  let identityToken = '';
  it('account: display name, a wrong current password in words, change password, then sign in with the new one', async () => {
    const NEW = 'a brand new passphrase';
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('textbox', { name: 'Display name' }).fill('Alice Liddell');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Your display name is saved.').waitFor();

    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill(NEW);
    await page.getByLabel('New password again').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    const wrong = page.getByRole('form', { name: 'Change your password' }).getByRole('alert');
    await wrong.waitFor();
    expect(await wrong.textContent()).toMatch(/current password/i);
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'account-password-error');

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed.').waitFor();

    await page.getByLabel("The other hub's id").fill('hub-b');
    await page.getByRole('button', { name: 'Make identity token' }).click();
    identityToken = await page.getByRole('textbox', { name: 'Identity token', exact: true }).inputValue();
    expect(identityToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await shot(page, 'account', true);

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/\/signin$/);
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(NEW);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole('heading', { name: /^Den/ }).waitFor();
  }, 60000);

  it("signing in on another hub that trusts this one: a bad identity token is refused next to the field; alice's token signs her in there", async () => {
    const other = await createTestHub({
      listen: true,
      now: Date.now(),
      env: { HUB_WEB_DIR: WEB_DIST, HUB_ID: 'hub-b', HUB_NAME: 'Hub B' },
    });
    const { ctx, p } = await newContext();
    try {
      const otherBase = (await other.app.getUrl()).replace('[::1]', '127.0.0.1');
      const adminB = await registerAdmin(other);
      const home = (await hub.http().get('/api/v1/hub').expect(200)).body;
      const jwks = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
      await other
        .http()
        .post('/api/v1/admin/trusted-hubs')
        .set(adminB.auth)
        .send({ hub_id: home.hub_id, name: 'Home hub', url: base, jwks })
        .expect(201);

      await p.goto(`${otherBase}/signin`);
      await p.getByRole('link', { name: 'Sign in with another hub' }).click();
      await p.getByLabel('Identity token').fill('not.a.token');
      await p.getByRole('button', { name: 'Link and sign in' }).click();
      await p.getByRole('alert').waitFor();
      expect(await p.getByLabel('Identity token').getAttribute('aria-invalid')).toBe('true');
      await shot(p, 'link-account');

      await p.getByLabel('Identity token').fill(identityToken);
      await p.getByRole('button', { name: 'Link and sign in' }).click();
      await p.waitForURL(/\/shares$/);
      await p.getByRole('link', { name: 'Account' }).click();
      await p.getByText(`Linked from`).waitFor();
      expect(await p.textContent('main')).toContain(home.hub_id);
    } finally {
      await ctx.close();
      await other.close();
    }
  }, 60000);

  it('the policy page; sign out ends the session', async () => {
    await page.goto(`${base}/terms`);
    await page.getByText('Be kind.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.goto(`${base}/servers`);
    await page.waitForURL(/\/signin\?next=%2Fservers$/);
    await shot(page, 'sign-in');
  }, 60000);
});
