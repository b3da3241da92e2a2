import { announceExpiries } from '../modules/assets/index.js';
import { purgeExpired } from '../modules/auth/index.js';
import { watchSla } from '../modules/helpdesk/index.js';
import { purgeFinishedJobs } from './queue.js';
import type { JobRegistry } from './worker.js';

const DAY_MS = 24 * 3600_000;

/** Every job, event handler and schedule of the modules, in one place the worker reads. */
export function buildJobRegistry(): JobRegistry {
  return {
    jobs: {
      'maintenance.purge': async (ctx) => {
        await purgeExpired(ctx);
        const jobs = await purgeFinishedJobs(ctx.db, new Date(ctx.now.getTime() - 7 * DAY_MS));
        const events = await ctx.db
          .deleteFrom('outbox')
          .where('processed_at', '<', new Date(ctx.now.getTime() - 30 * DAY_MS).toISOString())
          .executeTakeFirst();
        ctx.log.info({ jobs, events: Number(events.numDeletedRows) }, 'purged finished work');
      },
      'helpdesk.sla': async (ctx) => {
        const { warned, breached } = await watchSla(ctx);
        if (warned + breached > 0) ctx.log.info({ warned, breached }, 'SLA warnings and breaches');
      },
      'assets.expiry': async (ctx) => {
        const announced = await announceExpiries(ctx);
        ctx.log.info({ announced }, 'warranty and contract expiries announced');
      },
    },
    events: {},
    schedules: [
      { name: 'maintenance.purge', cron: '17 3 * * *', job: 'maintenance.purge' },
      { name: 'assets.expiry', cron: '0 6 * * *', job: 'assets.expiry' },
      // Warnings before breach and escalations on breach, within a minute.
      { name: 'helpdesk.sla', cron: '* * * * *', job: 'helpdesk.sla' },
    ],
  };
}
