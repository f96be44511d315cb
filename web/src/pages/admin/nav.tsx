import { NavLink } from 'react-router';

export function AdminNav() {
  return (
    <nav aria-label="Administration" className="subnav">
      <NavLink to="/admin" end>
        Dashboard
      </NavLink>
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/servers">Servers</NavLink>
      <NavLink to="/admin/sharing">Shares and invites</NavLink>
      <NavLink to="/admin/audit">Audit log</NavLink>
      <NavLink to="/admin/trusted-hubs">Trusted hubs</NavLink>
      <NavLink to="/admin/hub">Hub info</NavLink>
    </nav>
  );
}
