/** The arguments were wrong: exit code 2, with a hint of what to type. */
export class UsageError extends Error {}

/** The arguments were right but the work could not be done: exit code 1. */
export class CommandError extends Error {}
