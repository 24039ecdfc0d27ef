import { generatePassword, MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { API_TOKEN_SCOPES, ROLES, type ApiTokenScope, type Role } from "~/lib/roles";
import { createApiToken } from "~/models/api-tokens.server";
import { createUser, DuplicateEmailError } from "~/models/users.server";

import { CommandError, UsageError } from "./errors";

async function readStandardInput(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  return text === "" ? null : text;
}

export async function createUserCommand(values: Record<string, unknown>) {
  const email = String(values.email ?? "").trim();
  const name = String(values.name ?? "").trim();
  const role = String(values.role ?? "");
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError("--email must be an email address such as ana@example.com");
  if (!name) throw new UsageError("--name is required, e.g. --name \"Ana Lima\"");
  if (!ROLES.includes(role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const piped = await readStandardInput();
  if (piped !== null && piped.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`The password from standard input must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const password = piped ?? generatePassword();
  try {
    const user = await createUser({ email, name, role: role as Role, password });
    console.log(`Created ${user.role} ${user.name} <${user.email}> (id ${user.id})`);
    if (piped === null) console.log(`Password (shown once): ${password}`);
  } catch (error) {
    if (error instanceof DuplicateEmailError) throw new CommandError(error.message);
    throw error;
  }
}

export function createToken(values: Record<string, unknown>) {
  const name = String(values.name ?? "").trim();
  const scope = String(values.scope ?? "");
  if (!name) throw new UsageError("--name is required: name the token after what uses it, e.g. --name alertmanager");
  if (!API_TOKEN_SCOPES.includes(scope as ApiTokenScope)) throw new UsageError(`--scope must be one of ${API_TOKEN_SCOPES.join(", ")}`);
  const { token } = createApiToken({ name, scope: scope as ApiTokenScope, createdBy: null });
  // The token alone on stdout, so scripts can capture it; the explanation goes to stderr.
  console.error(`Created ${scope} token "${name}". It is shown only now:`);
  console.log(token);
}
