import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

import { RouteErrorBoundary } from "~/components/error-boundary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/app.css" }];

export const meta: MetaFunction = () => [{ title: "Hindsight" }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <Link to="/" className="brand">
            Hindsight
          </Link>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Dashboard
            </NavLink>
            <NavLink to="/incidents">Incidents</NavLink>
            <NavLink to="/actions">Corrective actions</NavLink>
          </nav>
          <Link to="/incidents/new" className="button primary">
            New incident
          </Link>
        </header>
        <main>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const navigation = useNavigation();
  return (
    <div className={navigation.state === "loading" ? "is-loading" : undefined}>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
