import type { DbJson } from '../db/values.js';

export type OutboxTable = {
  id: string;
  org_id: string | null;
  type: string;
  payload: DbJson;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  processed_at: string | null;
  last_error: string | null;
};

export type JobTable = {
  id: string;
  name: string;
  payload: DbJson;
  status: 'queued' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
};

export type ScheduleTable = {
  name: string;
  cron: string;
  next_run_at: string;
  last_run_at: string | null;
  last_run_by: string | null;
};
