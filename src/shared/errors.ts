/** Stable error codes: the web translates by code, scripts match on it. */
export type ProblemFieldError = { path: string; code: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: ProblemFieldError[];
  requestId?: string;
  [extra: string]: unknown;
};
