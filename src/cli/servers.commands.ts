import { Command, CommandRunner } from 'nest-commander';
import { ServerReleaseService } from '../servers/release.service.js';
import { HubError } from '../common/hub-error.js';
import { isUuid } from '../common/pipes.js';
import { fail, out } from './cli-io.js';

@Command({
  name: 'server:release',
  arguments: '<server-id>',
  description:
    'Release a server claim: removes the hub association (owner, enrollment, tunnel, shares); media on the server is untouched',
})
export class ServerReleaseCommand extends CommandRunner {
  constructor(private readonly release: ServerReleaseService) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    if (!id || !isUuid(id)) fail('server:release needs a server id (UUID)', 2);
    try {
      const r = await this.release.release(id.toLowerCase(), { reason: 'released' }, { actorType: 'cli' });
      out(JSON.stringify(r));
    } catch (e) {
      if (e instanceof HubError) fail((e.getResponse() as { error: string }).error, 1);
      throw e;
    }
  }
}

export const SERVERS_COMMANDS = [ServerReleaseCommand];
