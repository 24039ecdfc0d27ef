import { NavLink, Outlet } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/error-boundary";

// Every /admin path needs the admin role: the gate refuses anyone else before these load.
export default function AdminLayout() {
  return (
    <>
      <h1>Admin</h1>
      <nav className="tabs" aria-label="Admin sections">
        <NavLink to="users">Users</NavLink>
        <NavLink to="tokens">API tokens</NavLink>
        <NavLink to="deleted">Deleted incidents</NavLink>
        <NavLink to="categories">Cause categories</NavLink>
        <NavLink to="monitoring">Monitoring</NavLink>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="admin page" />;
}
