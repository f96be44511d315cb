import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { BarChart } from '../../components/bar-chart';
import { bytes, Loading, PageTitle, useLoad, when } from '../../components/ui';
import { AdminNav } from './nav';

type Dashboard = components['schemas']['DashboardDto'];
type Usage = components['schemas']['RelayUsageOverviewDto'];

const MONTHS = 6;

/** The last `n` UTC months as 'YYYY-MM', oldest first. */
export function lastMonths(n: number, now = new Date()): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

function RelayHistory() {
  // the usage API totals one UTC month at a time: one small request per month shown
  const { data, error } = useLoad(() =>
    Promise.all(
      lastMonths(MONTHS).map((period) => api.get<Usage>('/api/v1/admin/relay/usage', { query: { period, limit: 1 } })),
    ),
  );
  if (!data) return <Loading error={error} what="relay history" />;
  const label = (p: string) =>
    new Date(`${p}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  return (
    <BarChart
      title={`Relayed bytes per month, last ${MONTHS} months`}
      series={[
        ['in', 'From servers'],
        ['out', 'To servers'],
      ]}
      bars={data.map((u) => ({ label: label(u.period), parts: [u.bytes_in, u.bytes_out] }))}
    />
  );
}

export function AdminDashboard() {
  const { hub } = useAuth();
  const { data, error } = useLoad(() => api.get<Dashboard>('/api/v1/admin/dashboard'));
  const stat = (label: string, value: string | number) => (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section>
      <PageTitle hub={hub?.name}>Administration</PageTitle>
      <AdminNav />
      {!data ? (
        <Loading error={error} what="the dashboard" />
      ) : (
        <>
          <h2>Users</h2>
          <dl className="stats">
            {stat('Accounts', data.users.total)}
            {stat('Administrators', data.users.admins)}
            {stat('Disabled', data.users.disabled)}
          </dl>
          <h2>Servers</h2>
          <dl className="stats">
            {stat('Claimed', data.servers.total)}
            {stat('Online', data.servers.online)}
            {stat('Offline', data.servers.offline)}
            {stat('Disabled', data.servers.disabled)}
          </dl>
          <h2>Relay</h2>
          <dl className="stats">
            {stat('Open tunnels', data.relay.active_tunnels)}
            {stat('Streams now', data.relay.active_streams)}
            {stat('Relayed today', bytes(data.relay.bytes_today))}
          </dl>
          {data.relay.note && <p className="muted">{data.relay.note}</p>}
          <RelayHistory />
          {data.recent_activity.length > 0 && (
            <>
              <h2>Recent activity</h2>
              <ul className="activity">
                {data.recent_activity.map((a) => (
                  <li key={a.id}>
                    <code>{a.action}</code> {a.actor_username ? `by ${a.actor_username}` : ''} · {when(a.at)}
                    {a.outcome !== 'success' ? ` · ${a.outcome}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted">As of {when(data.generated_at)}.</p>
        </>
      )}
    </section>
  );
}
