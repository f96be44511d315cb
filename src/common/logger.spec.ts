import { createPino, PinoNestLogger, stdoutTransport } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const dest = {
    write: (s: string) => {
      lines.push(JSON.parse(s));
    },
  };
  return { lines, dest };
}

describe('logger', () => {
  test('JSON lines; secrets in request headers and bodies are redacted', () => {
    const { lines, dest } = capture();
    const log = createPino('info', dest);
    log.info(
      {
        req: { headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=1' } },
        body: { password: 'hunter22', refresh_token: 'rt', access_token: 'at', username: 'bob' },
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(lines[0]).toMatchObject({ msg: 'hello', svc: 'phlix-hub', level: 30 });
    for (const secret of ['eyJsecret', 'sid=1', 'hunter22', '"rt"', '"at"']) expect(text).not.toContain(secret);
    expect(text).toContain('bob');
  });

  test('the Nest adapter writes through pino and honours the level', () => {
    const { lines, dest } = capture();
    const nest = new PinoNestLogger(createPino('warn', dest));
    nest.log('not shown', 'Ctx');
    nest.warn('shown', 'Ctx');
    nest.error('boom', 'trace', 'Ctx');
    expect(lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      [40, 'shown', 'Ctx'],
      [50, 'boom', 'Ctx'],
    ]);
  });
});

describe('stdout format', () => {
  test('a terminal gets the pino-pretty transport; anything else gets JSON (no transport)', () => {
    expect(stdoutTransport(true)).toMatchObject({
      target: expect.stringMatching(/pino-pretty/),
      options: { colorize: true },
    });
    expect(stdoutTransport(false)).toBeUndefined();
  });
});
