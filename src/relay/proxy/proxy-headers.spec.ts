import { buildRequestHeaders, filterResponseHeaders } from './proxy-headers.js';

describe('buildRequestHeaders', () => {
  const raw = [
    'Host',
    'hub',
    'Authorization',
    'Bearer x',
    'Cookie',
    'a=b',
    'X-Forwarded-For',
    '1.2.3.4',
    'X-Phlix-Relay-User',
    'evil',
    'x-phlix-relay-libraries',
    '*',
    'Connection',
    'keep-alive, X-Drop',
    'X-Drop',
    '1',
    'Transfer-Encoding',
    'chunked',
    'Range',
    'bytes=0-1',
    'Accept',
    'a',
    'accept',
    'b',
    'Content-Length',
    '99',
    'Bad Name',
    'x',
    'X-Nl',
    'a\nb',
  ];
  test('owner: strips credentials, hop-by-hop and spoofed identity; joins repeats; sets identity', () => {
    expect(
      buildRequestHeaders(raw, { userId: 'u1', role: 'owner', permission: 'download', libraryIds: null }, 5),
    ).toEqual({
      Range: 'bytes=0-1',
      Accept: 'a, b',
      'Content-Length': '5',
      'X-Phlix-Relay-User': 'u1',
      'X-Phlix-Relay-Role': 'owner',
    });
  });
  test('grantee: permission and libraries', () => {
    const h = buildRequestHeaders(
      [],
      { userId: 'u2', role: 'grantee', permission: 'play', libraryIds: ['l1', 'l2'] },
      null,
    );
    expect(h).toEqual({
      'X-Phlix-Relay-User': 'u2',
      'X-Phlix-Relay-Role': 'grantee',
      'X-Phlix-Relay-Permission': 'play',
      'X-Phlix-Relay-Libraries': 'l1,l2',
    });
    expect(
      buildRequestHeaders([], { userId: 'u2', role: 'grantee', permission: 'view', libraryIds: null }, null)[
        'X-Phlix-Relay-Libraries'
      ],
    ).toBe('*');
  });
});

describe('filterResponseHeaders', () => {
  test('keeps range headers and length, drops hop-by-hop, cookies and CR/LF values, sandboxes documents', () => {
    const { headers, contentLength } = filterResponseHeaders({
      'Content-Type': 'video/mp4',
      'Content-Range': 'bytes 0-1/10',
      'Content-Length': '2',
      'Transfer-Encoding': 'chunked',
      Connection: 'close',
      'Set-Cookie': 'a=b',
      'X-Evil': 'a\r\nSet-Cookie: x=y',
      'Bad Name': 'x',
      'Content-Security-Policy': "default-src 'self'",
    });
    expect(contentLength).toBe(2);
    expect(headers['content-type']).toBe('video/mp4');
    expect(headers['content-range']).toBe('bytes 0-1/10');
    expect(headers['content-length']).toBe('2');
    for (const k of ['transfer-encoding', 'connection', 'set-cookie', 'x-evil', 'bad name']) {
      expect(headers[k]).toBeUndefined();
    }
    expect(headers['content-security-policy']).toEqual(["default-src 'self'", expect.stringMatching(/^sandbox /)]);
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
  test('a non-numeric Content-Length is dropped', () => {
    expect(filterResponseHeaders({ 'Content-Length': '12, 12' }).contentLength).toBeNull();
  });
});

describe('header hygiene under the hub origin', () => {
  test('client: underscore spellings, X-Forwarded-*, URL rewrites and method overrides are dropped', () => {
    const raw = [
      'X_Phlix_Relay_User',
      'evil',
      'x_phlix_relay_role',
      'owner',
      'X-Forwarded-Host',
      'e',
      'X-Original-URL',
      '/a',
      'X-Rewrite-URL',
      '/b',
      'X-HTTP-Method-Override',
      'DELETE',
      'Accept',
      '*/*',
    ];
    expect(
      buildRequestHeaders(raw, { userId: 'u1', role: 'owner', permission: 'download', libraryIds: null }, null),
    ).toEqual({
      Accept: '*/*',
      'X-Phlix-Relay-User': 'u1',
      'X-Phlix-Relay-Role': 'owner',
    });
  });
  test('server: headers acting on the hub origin are dropped; non-ASCII values become UTF-8 bytes', () => {
    const { headers } = filterResponseHeaders({
      'Strict-Transport-Security': 'max-age=1',
      'Clear-Site-Data': '"*"',
      'Access-Control-Allow-Origin': '*',
      'Service-Worker-Allowed': '/',
      Refresh: '0',
      Link: '</a>; rel=preload',
      'WWW-Authenticate': 'Basic realm="x"',
      'X-Title': 'café ★',
    });
    expect(Object.keys(headers).sort()).toEqual([
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'x-title',
    ]);
    expect(Buffer.from(headers['x-title'] as string, 'latin1').toString('utf8')).toBe('café ★');
    expect(filterResponseHeaders({ 'WWW-Authenticate': 'Bearer realm="api"' }).headers['www-authenticate']).toBe(
      'Bearer realm="api"',
    );
  });
});
