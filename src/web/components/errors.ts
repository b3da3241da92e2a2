import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.js';

/**
 * The message to show for a failed request: translated by code (the web's own catalogue), falling back
 * to the server's detail, which the server already translated by Accept-Language.
 */
export function errorMessage(t: TFunction, err: unknown, overrides: Record<string, unknown> = {}): string {
  if (!(err instanceof ApiError)) return t('errors.generic');
  const p = err.problem;
  const params = {
    ...overrides,
    retryAfter: overrides.retryAfter ?? p.retryAfter ?? '…',
    requestId: p.requestId ?? '—',
    currentVersion: p.currentVersion ?? '',
  };
  const key = `errors.${p.code}`;
  const fallback = p.detail ?? p.title ?? t('errors.generic');
  return t(key, { ...params, defaultValue: fallback });
}

/** The server's message for one form field, if the failure was about it. */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  return err.fieldErrors()[field];
}

/** Field errors that match none of the form's fields, so they are not lost. */
export function otherFieldErrors(err: unknown, fields: readonly string[]): string[] {
  if (!(err instanceof ApiError)) return [];
  return (err.problem.errors ?? [])
    .filter((e) => {
      const path = String(e.path ?? '')
        .replace(/^\/+/, '')
        .replace(/\//g, '.');
      return !fields.includes(path.split('.')[0] ?? path);
    })
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}
