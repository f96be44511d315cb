/** Base URL of a server's relay proxy: apps append the server path (no hard-coded hub paths). */
export function relayUrlOf(publicUrl: string, serverId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/servers/${serverId}/proxy/`;
}
