import { useState } from 'react';
import type { Library, ServerInfo } from '../api/types';
import { PERMISSIONS } from '../api/types';
import { Select } from '../components/form';

export const PERMISSION_WORDS: Record<string, string> = {
  view: 'View (browse)',
  play: 'Play (browse and stream)',
  download: 'Download (browse, stream and download)',
};

/** Server, then "whole server" or one of its libraries, then the permission: as `server_id`, `library_id`, `permission`. */
export function ScopePicker({ servers, libraries }: { servers: ServerInfo[]; libraries: Library[] }) {
  const [serverId, setServerId] = useState(servers[0]?.serverId ?? '');
  const libs = libraries.filter((l) => l.server_id === serverId);
  return (
    <>
      <Select
        name="server_id"
        label="Server"
        value={serverId}
        onChange={(e) => setServerId(e.target.value)}
        options={servers.map((s) => [s.serverId, s.serverName])}
        required
      />
      <Select
        name="library_id"
        label="Libraries"
        key={serverId}
        options={[['', 'The whole server (every library)'], ...libs.map((l): [string, string] => [l.id, l.name])]}
      />
      <Select
        name="permission"
        label="Permission"
        defaultValue="play"
        options={PERMISSIONS.map((p): [string, string] => [p, PERMISSION_WORDS[p]])}
      />
    </>
  );
}

/** A date input's value (YYYY-MM-DD) as the end of that day, local time, in ISO-8601; empty = never. */
export function endOfDay(date: string): string | null {
  if (!date) return null;
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
}

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
