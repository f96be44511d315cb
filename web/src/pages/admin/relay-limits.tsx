import { api, ApiError } from '../../api/client';
import type { components } from '../../api/schema';
import type { User } from '../../api/types';
import { Form, Input } from '../../components/form';
import { bytes, Loading, useLoad } from '../../components/ui';

type Bandwidth = components['schemas']['BandwidthDto'];

const GB = 1e9;
const MBIT = 1e6;

/** '' → null (the hub default); else a number scaled to the API's unit. */
function amount(v: Record<string, string>, name: string, unit: number): number | null {
  const t = (v[name] ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) {
    throw new ApiError(400, 'request.validation_failed', `${name}: enter a number (0 or more), or leave it empty`);
  }
  return Math.round(n * unit);
}
const shown = (v: number | null | undefined, unit: number) => (v === null || v === undefined ? '' : String(v / unit));
const limit = (v: number, fmt: (n: number) => string) => (v === 0 ? 'unlimited' : fmt(v));

/** One user's relay use this month, the limits in force, and the administrator's overrides. */
export function RelayLimits({ user }: { user: User }) {
  const bw = useLoad(
    () => api.get<Bandwidth>('/api/v1/admin/users/{id}/bandwidth', { params: { id: user.id } }),
    [user.id],
  );
  if (!bw.data) return <Loading error={bw.error} what="relay limits" />;
  const b = bw.data;
  const o = b.overrides;
  return (
    <div className="panel" role="group" aria-label={`Relay limits of ${user.username}`}>
      <p>
        This month ({b.period}): {bytes(b.bytes_in)} down of {limit(b.quota_bytes_in, bytes)}, {bytes(b.bytes_out)} up
        of {limit(b.quota_bytes_out, bytes)}; {b.active_streams} of {limit(b.max_concurrent_streams, String)} streams;
        speed {limit(b.throttle_bps, (n) => `${n / MBIT} Mbit/s`)}.
      </p>
      <Form
        submit="Save quota"
        className="grid"
        label={`Relay quota of ${user.username}`}
        onSubmit={async (v) => {
          await api.put('/api/v1/admin/users/{id}/quota', {
            params: { id: user.id },
            body: {
              quota_bytes_in: amount(v, 'quota_bytes_in', GB),
              quota_bytes_out: amount(v, 'quota_bytes_out', GB),
              max_concurrent_streams: amount(v, 'max_concurrent_streams', 1),
            } as never,
          });
          await bw.reload();
        }}
      >
        <Input
          name="quota_bytes_in"
          label="Download quota (GB a month)"
          inputMode="decimal"
          defaultValue={shown(o?.quota_bytes_in, GB)}
          hint="Empty: the hub default. 0: unlimited."
        />
        <Input
          name="quota_bytes_out"
          label="Upload quota (GB a month)"
          inputMode="decimal"
          defaultValue={shown(o?.quota_bytes_out, GB)}
          hint="Empty: the hub default. 0: unlimited."
        />
        <Input
          name="max_concurrent_streams"
          label="Streams at once"
          inputMode="numeric"
          defaultValue={shown(o?.max_concurrent_streams, 1)}
          hint="Empty: the hub default. 0: unlimited."
        />
      </Form>
      <Form
        submit="Save speed limit"
        className="grid"
        label={`Relay speed limit of ${user.username}`}
        onSubmit={async (v) => {
          await api.put('/api/v1/admin/users/{id}/throttle', {
            params: { id: user.id },
            body: { throttle_bps: amount(v, 'throttle_bps', MBIT) } as never,
          });
          await bw.reload();
        }}
      >
        <Input
          name="throttle_bps"
          label="Speed limit (Mbit/s)"
          inputMode="decimal"
          defaultValue={shown(o?.throttle_bps, MBIT)}
          hint="Empty: the hub default. 0: unlimited. At least 0.064."
        />
      </Form>
    </div>
  );
}
