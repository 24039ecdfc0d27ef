import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { EditorsOnly, useUser } from "~/components/user";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/app.css" }];

export const meta: MetaFunction = () => [{ title: "Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = context.actor;
  return json({ user: actor?.kind === "user" ? { name: actor.name, email: actor.email, role: actor.role } : null });
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteHeader />
        <main>{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function SiteHeader() {
  const user = useUser();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Hindsight
      </Link>
      {user ? (
        <>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Dashboard
            </NavLink>
            <NavLink to="/incidents">Incidents</NavLink>
            <NavLink to="/actions">Corrective actions</NavLink>
            <NavLink to="/services">Services</NavLink>
            <NavLink to="/insights">Insights</NavLink>
            <NavLink to="/review">Weekly review</NavLink>
            {user.role === "admin" ? <NavLink to="/admin">Admin</NavLink> : null}
          </nav>
          <Form method="get" action="/search" role="search" aria-label="Search past outages" className="site-search">
            <label htmlFor="site-search-q">Search</label>
            <input id="site-search-q" type="search" name="q" placeholder="Words from any postmortem" />
          </Form>
          <EditorsOnly>
            <NavLink to="/import">Import</NavLink>
            <Link to="/incidents/new" className="button primary">
              New incident
            </Link>
          </EditorsOnly>
          <Form method="post" action="/logout" className="who">
            <span title={user.email}>
              {user.name} · {user.role}
            </span>
            <button type="submit" className="link">
              Log out
            </button>
          </Form>
        </>
      ) : (
        <span className="spacer" />
      )}
    </header>
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
