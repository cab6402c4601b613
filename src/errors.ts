/**
 * Errors every layer may raise (a leaf module: imports nothing of the project).
 *
 * A UserError is something the user can fix (bad input, an impossible request): the CLI
 * prints `message` alone (no stack) and exits with `exitCode` (2 by default).
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}
