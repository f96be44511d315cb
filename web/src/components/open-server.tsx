import { api, ApiError } from '../api/client';
import type { components } from '../api/schema';
import { ActionButton } from './ui';

type OriginEntry = components['schemas']['OriginEntryDto'];

/** Words for the reasons the hub refuses to open a server (the rest come as the hub words them). */
function refusal(e: unknown, name: string): unknown {
  if (e instanceof ApiError && e.code === 'server.not_found') {
    return new Error(
      `${name} can no longer be opened: the share has ended or the server was released. Reload the page to see what you can open.`,
    );
  }
  return e;
}

/**
 * "Open <server>": asks the hub for a one-time entry URL on the server's own origin, then goes there
 * in this tab (the entry signs the browser in on that origin and lands on the server's start page).
 * `stillOnline` asks the hub again just before leaving, so an offline server is said in words here
 * instead of on an error page of the server's origin.
 */
export function OpenServer({
  serverId,
  name,
  stillOnline,
}: {
  serverId: string;
  name: string;
  stillOnline: () => Promise<boolean>;
}) {
  return (
    <ActionButton
      label={`Open ${name}`}
      onClick={async () => {
        let entry: OriginEntry;
        try {
          entry = await api.post<OriginEntry>('/api/v1/me/servers/{id}/open', { params: { id: serverId } });
        } catch (e) {
          throw refusal(e, name);
        }
        if (!(await stillOnline())) throw new Error(`${name} is offline now: it opens when it is back online.`);
        window.location.assign(entry.url);
      }}
    >
      Open
    </ActionButton>
  );
}
