import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";

/** Tells a missing record (404) from a fault (500), in words a user can act on. */
export function RouteErrorBoundary({ what = "page" }: { what?: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page">
        <h1>Not found</h1>
        <p>This {what} does not exist, or it was deleted.</p>
        <p>
          <Link to="/incidents">Back to incidents</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <section className="error-page">
        <h1>Not allowed</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : "Your role cannot do this."} Ask an admin if you need more.</p>
        <p>
          <Link to="/">Back to the dashboard</Link>
        </p>
      </section>
    );
  }
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>The server could not show this {what}. Nothing you typed was saved by this request.</p>
      <pre>{message}</pre>
    </section>
  );
}
