import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, relayHub, startAgent, startOrigin, type Origin } from './helpers/relay.js';
import { browserDescribe, chromiumPath, CHROMIUM_FLAGS as FLAGS, WEB_DIST } from './helpers/browser.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/**
 * Relayed servers in a real Chromium, with nothing injected: a `<video>` that plays and seeks
 * through the relay (on the server's own origin, and from a media link), and a relayed HTML app
 * that runs JavaScript, keeps localStorage and sends its own Authorization header on its origin.
 * A real origin behind the real agent. The clip (test/fixtures/relay-test.webm, 5 s of VP8,
 * 160×96) was made with vpxenc from generated frames; Chromium plays VP8 on every build.
 *
 * Chromium is Debian's (`apt-get install chromium`; CHROMIUM_PATH to use another). Missing locally:
 * skipped with a note; under CI it fails. Only on SQLite (the API suites cover MariaDB).
 */
const ROOT = resolve('.');
const CLIP = readFileSync(join(ROOT, 'test', 'fixtures', 'relay-test.webm'));
const run = browserDescribe('web-relay');

const APP_TOKEN = 'Bearer app-own-token';
const APP_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Relayed app</title></head><body>
<p id="out">loading</p>
<script>
  const visits = Number(localStorage.getItem('visits') || 0) + 1;
  localStorage.setItem('visits', String(visits));
  fetch('/api/whoami', { headers: { Authorization: ${JSON.stringify(APP_TOKEN)} } })
    .then((r) => r.json())
    .then((j) => { document.getElementById('out').textContent = [j.user, visits, location.origin, document.cookie].join('|'); })
    .catch((e) => { document.getElementById('out').textContent = 'failed: ' + e.message; });
</script></body></html>`;
const PLAYER_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>Player</title></head><body><video id="v" src="/clip.webm" muted preload="auto"></video></body></html>';

/** A small web app with a video, like Jellyfin's: its own login (Authorization), ranged media. */
function originHandler(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_PAGE);
  if (path === '/player.html') {
    return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PLAYER_PAGE);
  }
  if (path === '/api/whoami') {
    if (req.headers.authorization !== APP_TOKEN) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"sign in"}');
    }
    return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"user":"jelly"}');
  }
  if (path === '/clip.webm') {
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      const start = Number(m[1]);
      const end = m[2] ? Math.min(Number(m[2]), CLIP.length - 1) : CLIP.length - 1;
      res.writeHead(206, {
        'content-type': 'video/webm',
        'accept-ranges': 'bytes',
        'content-range': `bytes ${start}-${end}/${CLIP.length}`,
        'content-length': String(end - start + 1),
      });
      return void res.end(req.method === 'HEAD' ? undefined : CLIP.subarray(start, end + 1));
    }
    res.writeHead(200, {
      'content-type': 'video/webm',
      'accept-ranges': 'bytes',
      'content-length': String(CLIP.length),
    });
    return void res.end(req.method === 'HEAD' ? undefined : CLIP);
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
}

/** Play the page's video, then seek it to `to` seconds: what the browser reports (runs in the page). */
async function playAndSeek(
  page: Page,
  to: number,
): Promise<{ played: number; seekedTo: number; duration: number; error: string | null }> {
  return page.evaluate(`(async (target) => {
    const v = document.querySelector('video');
    const wait = (ev, ms = 15000) => new Promise((ok, bad) => {
      const t = setTimeout(() => bad(new Error('no ' + ev + ' (readyState ' + v.readyState + ', error ' + (v.error ? v.error.code : 'none') + ')')), ms);
      v.addEventListener(ev, () => { clearTimeout(t); ok(); }, { once: true });
    });
    v.muted = true;
    await v.play();
    while (v.currentTime < 0.5) await new Promise((r) => setTimeout(r, 50));
    const played = v.currentTime;
    const seeked = wait('seeked');
    v.currentTime = target;
    await seeked;
    return { played, seekedTo: v.currentTime, duration: v.duration, error: v.error ? String(v.error.code) : null };
  })(${to})`);
}

run('relayed servers in a browser', () => {
  let hub: TestHub;
  let origin: Origin;
  let agent: RelayAgent;
  let owner: TestUser;
  let server: PairedServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let port: number;
  const errors: string[] = [];

  async function newPage(): Promise<Page> {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    return p;
  }
  async function entryUrl(): Promise<string> {
    const r = await hub.http().post(`/api/v1/me/servers/${server.serverId}/open`).set(owner.auth).expect(201);
    return r.body.url;
  }
  const rangesSeen = () => origin.requests.filter((r) => r.url === '/clip.webm' && r.headers.range).length;

  beforeAll(async () => {
    if (!chromiumPath) {
      throw new Error('Chromium is missing (CI requires it): apt-get install chromium, or set CHROMIUM_PATH');
    }
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      throw new Error('web/dist is missing: run `npm run build:web` first (npm test does)');
    }
    hub = await relayHub({ HUB_WEB_DIR: WEB_DIST }, { now: Date.now() });
    port = hubPort(hub);
    hub.cfg.relay.hostTemplate = `{server}.localhost:${port}`;
    hub.cfg.http.publicUrl = `http://127.0.0.1:${port}`;
    origin = await startOrigin(originHandler);
    owner = await registerUser(hub);
    server = await pairServer(hub, owner);
    agent = await startAgent(hub, server, origin.url);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, args: FLAGS });
    ctx = await browser.newContext();
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.close();
    await origin?.close();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  test('the Open URL lands on the server’s own origin; its app runs JavaScript, keeps localStorage, sends its own Authorization', async () => {
    const page = await newPage();
    await page.goto(await entryUrl());
    const appOrigin = `http://${server.serverId}.localhost:${port}`;
    expect(page.url()).toBe(`${appOrigin}/`);
    const out = page.locator('#out');
    // the session cookie is HttpOnly: the app sees no cookie of the hub's at all
    await out.filter({ hasText: 'jelly|' }).waitFor({ timeout: 15000 });
    expect(await out.textContent()).toBe(`jelly|1|${appOrigin}|`);
    await page.reload();
    await out.filter({ hasText: 'jelly|2|' }).waitFor({ timeout: 15000 });
    const seen = origin.requests.filter((r) => r.url === '/api/whoami');
    expect(seen.length).toBe(2);
    for (const r of seen) {
      expect(r.headers.authorization).toBe(APP_TOKEN);
      expect(r.headers.cookie ?? '').not.toMatch(/phlix_/);
    }
    // not sandboxed: a real origin, not an opaque one
    expect(await page.evaluate('window.origin')).toBe(appOrigin);
    await page.close();
  }, 60000);

  test('a <video> on the server’s origin plays and seeks through the relay with no injected header', async () => {
    const page = await newPage();
    await page.goto(await entryUrl());
    const before = rangesSeen();
    await page.goto(`http://${server.serverId}.localhost:${port}/player.html`);
    const r = await playAndSeek(page, 3.5);
    expect(r.error).toBeNull();
    expect(r.played).toBeGreaterThanOrEqual(0.5);
    expect(r.duration).toBeCloseTo(5, 0);
    expect(Math.abs(r.seekedTo - 3.5)).toBeLessThan(0.2);
    expect(rangesSeen()).toBeGreaterThan(before); // the browser asked for ranges, through the relay
    await page.close();
  }, 60000);

  test('a media link plays and seeks in a <video> of another page, with no cookie and no header', async () => {
    const link = await hub
      .http()
      .post('/api/v1/me/media-links')
      .set(owner.auth)
      .send({ server_id: server.serverId, path: '/clip.webm', ttl_seconds: 600 })
      .expect(201);
    const fresh = await browser.newContext(); // nothing signed in anywhere
    try {
      const page = await fresh.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await page.setContent(`<video src="${link.body.url}" muted preload="auto"></video>`);
      const r = await playAndSeek(page, 4);
      expect(r.error).toBeNull();
      expect(r.played).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(r.seekedTo - 4)).toBeLessThan(0.2);
    } finally {
      await fresh.close();
    }
  }, 60000);

  test('a grantee signed in to the web app clicks Open on an incoming share and lands on the relayed app on its own origin', async () => {
    const grantee = await registerUser(hub);
    const name = 'Den server';
    await hub.http().patch(`/api/v1/me/servers/${server.serverId}`).set(owner.auth).send({ name }).expect(200);
    const share = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: server.serverId, username: grantee.username, permission: 'play' })
      .expect(201);
    const fresh = await browser.newContext(); // the grantee's own browser: nothing of the owner's
    try {
      const page = await fresh.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/signin`);
      await page.getByLabel('Username or email').fill(grantee.username);
      await page.getByLabel('Password').fill(grantee.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/servers$/);
      await page.getByRole('link', { name: 'Shares' }).first().click();
      const incoming = page.getByRole('list', { name: 'Shared with you' });
      await incoming.getByText('Online').waitFor();
      await incoming.getByRole('button', { name: `Open ${name}` }).click();
      const appOrigin = `http://${server.serverId}.localhost:${port}`;
      await page.waitForURL(`${appOrigin}/`, { timeout: 15000 });
      const out = page.locator('#out');
      await out.filter({ hasText: 'jelly|' }).waitFor({ timeout: 15000 });
      expect(await out.textContent()).toBe(`jelly|1|${appOrigin}|`);

      // the share revoked while the hub's page still lists it: Open says so in words next to the button
      await page.goto(`http://127.0.0.1:${port}/shares`);
      const open = page.getByRole('list', { name: 'Shared with you' }).getByRole('button', { name: `Open ${name}` });
      await open.waitFor();
      await hub.http().delete(`/api/v1/me/shares/${share.body.id}`).set(owner.auth).expect(204);
      await open.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/can no longer be opened: the share has ended/);
      expect(page.url()).toBe(`http://127.0.0.1:${port}/shares`);
    } finally {
      await fresh.close();
    }
  }, 60000);

  test('the owner signed in to the web app clicks Open on My servers and lands on the relayed app on its own origin', async () => {
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/signin`);
      await page.getByLabel('Username or email').fill(owner.username);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/servers$/);
      const mine = page.getByRole('list', { name: 'Your servers' });
      await mine.getByText('Online').waitFor();
      const name = (await mine.getByRole('heading').first().textContent())!.replace(/\s*Online$/, '');
      await mine.getByRole('button', { name: `Open ${name}` }).click();
      const appOrigin = `http://${server.serverId}.localhost:${port}`;
      await page.waitForURL(`${appOrigin}/`, { timeout: 15000 });
      await page
        .locator('#out')
        .filter({ hasText: `jelly|1|${appOrigin}|` })
        .waitFor({ timeout: 15000 });
    } finally {
      await fresh.close();
    }
  }, 60000);

  test('without the way in, the server’s origin only says to open it from the hub', async () => {
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      const res = await page.goto(`http://${server.serverId}.localhost:${port}/`);
      expect(res?.status()).toBe(401);
      expect(await page.textContent('body')).toContain('relay.origin_session_required');
    } finally {
      await fresh.close();
    }
  }, 60000);
});
