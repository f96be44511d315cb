import { createTestHub, TestHub } from './helpers/hub.js';
import { User } from '../src/users/entities/user.entity.js';
import { UsersService } from '../src/users/users.service.js';

const reg = (hub: TestHub, name: string) =>
  hub
    .http()
    .post('/api/v1/auth/register')
    .send({ username: name, email: `${name}@example.test`, password: 'password-123' });

test('concurrent first sign-ups on an empty hub elect exactly one admin', async () => {
  for (let round = 0; round < 1; round++) {
    const hub = await createTestHub();
    try {
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => reg(hub, `racer${round}_${i}`)));
      expect(rs.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(rs.filter((r) => r.body.user.is_admin)).toHaveLength(1);
      expect(await hub.ds.getRepository(User).count({ where: { isAdmin: true } })).toBe(1);
      // later sign-ups are plain users
      expect((await reg(hub, `late${round}`).expect(201)).body.user.is_admin).toBe(false);
    } finally {
      await hub.close();
    }
  }
});

test('the election needs "no admin yet", not "first row": a CLI-made plain user does not block it; an admin does', async () => {
  const hub = await createTestHub();
  try {
    await hub
      .get(UsersService)
      .create({ username: 'made_by_cli', email: 'cli@example.test', password: 'password-123' });
    expect((await reg(hub, 'first_signup').expect(201)).body.user.is_admin).toBe(true);
  } finally {
    await hub.close();
  }
  const hub2 = await createTestHub();
  try {
    await hub2
      .get(UsersService)
      .create({ username: 'cli_admin', email: 'cliadmin@example.test', password: 'password-123', isAdmin: true });
    expect((await reg(hub2, 'after_admin').expect(201)).body.user.is_admin).toBe(false);
  } finally {
    await hub2.close();
  }
});
