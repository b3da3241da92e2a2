import type { ProblemFieldError } from '../../shared/errors.js';

/**
 * The one error type of the server. `code` is a stable slug (`user.not_found`); the problem-details
 * handler turns it into a translated RFC 9457 response. `params` feed the translated message.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    readonly extra: Record<string, unknown> = {},
    readonly fieldErrors: Array<Omit<ProblemFieldError, 'message'> & { message?: string }> = [],
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (entity: string) => new AppError(`${entity}.not_found`, 404);
export const forbidden = () => new AppError('auth.forbidden', 403);
export const unauthenticated = () => new AppError('auth.unauthenticated', 401);
export const preconditionFailed = (current: number) =>
  new AppError('precondition.failed', 412, {}, { currentVersion: current });
export const preconditionRequired = () => new AppError('precondition.required', 428);

export function invalid(fields: Array<{ path: string; code: string; message?: string }>): AppError {
  return new AppError('validation.failed', 400, {}, {}, fields);
}

/** A unique index violation, whichever database raised it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
