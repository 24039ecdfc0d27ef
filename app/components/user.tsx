import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

import { roleAtLeast, type Role } from "~/lib/roles";

type RootData = { user: { name: string; email: string; role: Role } | null };

export function useUser() {
  return (useRouteLoaderData("root") as RootData | undefined)?.user ?? null;
}

export function useCanEdit(): boolean {
  const user = useUser();
  return user !== null && roleAtLeast(user.role, "editor");
}

/** Shows editing controls only to editors and admins: viewers would only meet a 403. */
export function EditorsOnly({ children }: { children: ReactNode }) {
  return useCanEdit() ? <>{children}</> : null;
}
