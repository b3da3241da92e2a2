import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a typed Config.
 * Parsing is synchronous and reports every problem at once, one line per variable.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'a TCP port number between 1 and 65535' })
    .int('a TCP port number between 1 and 65535')
    .min(1, 'a TCP port number between 1 and 65535')
    .max(65535, 'a TCP port number between 1 and 65535')
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PARC_PORT: port(8080),
  PARC_HOST: z.string().min(1, 'a host name or address to listen on').default('0.0.0.0'),
  PARC_DATA_DIR: z.string().min(1, 'a folder path').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|sqlite):/, 'a postgres://user@host:port/db URL or sqlite:PATH')
    .optional(),
  PARC_SECRET_KEY: z
    .string()
    .regex(
      /^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/,
      '32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)',
    )
    .optional(),
  PARC_BASE_URL: z.url({ error: 'an absolute URL such as https://parc.example.com' }).optional(),
  PARC_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PARC_TRUST_PROXY: bool(false),
  PARC_BODY_LIMIT: z.coerce
    .number({ error: 'a size in bytes' })
    .int('a size in bytes')
    .min(1024, 'a size in bytes of at least 1024')
    .default(1_048_576),
  PARC_ADMIN_EMAIL: z.email({ error: 'an e-mail address' }).optional(),
  PARC_ADMIN_PASSWORD: z.string().min(12, 'a password of at least 12 characters').optional(),
  PARC_JOBS: bool(true),
  PARC_AUTH_CACHE_MS: z.coerce
    .number({ error: 'a duration in milliseconds (0 turns the cache off)' })
    .int('a duration in milliseconds (0 turns the cache off)')
    .min(0, 'a duration in milliseconds (0 turns the cache off)')
    .max(60_000, 'at most 60000 milliseconds')
    .default(2000),
  PARC_INVENTORY_REQUIRE_TOKEN: bool(false),
  PARC_INVENTORY_MAX_BYTES: z.coerce
    .number({ error: 'a size in bytes' })
    .int('a size in bytes')
    .min(65_536, 'a size in bytes of at least 65536')
    .default(16 * 1_048_576),
  PARC_SMTP_HOST: z.string().min(1, 'a host name').optional(),
  PARC_SMTP_PORT: port(587),
  PARC_SMTP_SECURE: bool(false),
  PARC_SMTP_USER: z.string().optional(),
  PARC_SMTP_PASSWORD: z.string().optional(),
  PARC_SMTP_FROM: z
    .string()
    .min(3, 'a sender address such as "Parc <parc@example.com>"')
    .default('parc@localhost'),
  PARC_MAIL_MAX_ATTACHMENT_BYTES: z.coerce
    .number({ error: 'a size in bytes' })
    .int('a size in bytes')
    .min(1024, 'a size in bytes of at least 1024')
    .default(10 * 1_048_576),
  // The syslog listener (UDP and TCP on the same port); 0 turns it off.
  PARC_SYSLOG_PORT: z.coerce
    .number({ error: 'a port number between 0 (off) and 65535' })
    .int('a port number between 0 (off) and 65535')
    .min(0, 'a port number between 0 (off) and 65535')
    .max(65535, 'a port number between 0 (off) and 65535')
    .default(5514),
  PARC_SYSLOG_HOST: z.string().min(1, 'a host name or address to listen on').default('0.0.0.0'),
  PARC_SYSLOG_TLS_CERT: z.string().min(1, 'a PEM certificate file path').optional(),
  PARC_SYSLOG_TLS_KEY: z.string().min(1, 'a PEM private key file path').optional(),
  PARC_SECURITY_ESCALATE_MINUTES: z.coerce
    .number({ error: 'a number of minutes' })
    .int('a number of minutes')
    .min(1, 'at least 1 minute')
    .max(10_080, 'at most 10080 minutes (a week)')
    .default(30),
});

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  secretKey: Buffer | undefined;
  baseUrl: string;
  secureCookies: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  trustProxy: boolean;
  bodyLimit: number;
  admin: { email: string | undefined; password: string | undefined };
  jobs: boolean;
  /** How long an instance may reuse a resolved session or token before asking the database again. */
  authCacheMs: number;
  inventory: {
    /** Refuse agents without an enrolment token, even on an install with one organisation. */
    requireToken: boolean;
    /** The largest agent payload accepted, compressed or inflated. */
    maxBytes: number;
  };
  smtp: {
    host: string | undefined;
    port: number;
    secure: boolean;
    user: string | undefined;
    password: string | undefined;
    from: string;
  };
  mail: {
    /** Attachments of incoming mail above this size are dropped, with a note on the ticket. */
    maxAttachmentBytes: number;
  };
  security: {
    /** The syslog listener's port (UDP and TCP), 0 when off. */
    syslogPort: number;
    syslogHost: string;
    /** With both, TCP is TLS (RFC 5425); UDP stays plain. */
    syslogTls: { cert: string; key: string } | null;
    escalateAfterMinutes: number;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

function decodeKey(raw: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64url');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset: `PARC_PORT= parc serve` should not fail on ''.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const got = present[name];
        const shown = got === undefined || /PASSWORD|SECRET/.test(name) ? '' : ` (got "${got}")`;
        return `${name}: expected ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.PARC_DATA_DIR);
  let database: DatabaseConfig = { kind: 'sqlite', file: path.join(dataDir, 'parc.db') };
  if (e.DATABASE_URL?.startsWith('sqlite:')) {
    database = { kind: 'sqlite', file: path.resolve(e.DATABASE_URL.slice('sqlite:'.length)) };
  } else if (e.DATABASE_URL) {
    database = { kind: 'postgres', url: e.DATABASE_URL };
  }
  const baseUrl = (e.PARC_BASE_URL ?? `http://localhost:${e.PARC_PORT}`).replace(/\/+$/, '');
  return {
    port: e.PARC_PORT,
    host: e.PARC_HOST,
    dataDir,
    database,
    secretKey: e.PARC_SECRET_KEY ? decodeKey(e.PARC_SECRET_KEY) : undefined,
    baseUrl,
    secureCookies: baseUrl.startsWith('https:'),
    logLevel: e.PARC_LOG_LEVEL,
    trustProxy: e.PARC_TRUST_PROXY,
    bodyLimit: e.PARC_BODY_LIMIT,
    admin: { email: e.PARC_ADMIN_EMAIL?.toLowerCase(), password: e.PARC_ADMIN_PASSWORD },
    jobs: e.PARC_JOBS,
    authCacheMs: e.PARC_AUTH_CACHE_MS,
    inventory: { requireToken: e.PARC_INVENTORY_REQUIRE_TOKEN, maxBytes: e.PARC_INVENTORY_MAX_BYTES },
    smtp: {
      host: e.PARC_SMTP_HOST,
      port: e.PARC_SMTP_PORT,
      secure: e.PARC_SMTP_SECURE,
      user: e.PARC_SMTP_USER,
      password: e.PARC_SMTP_PASSWORD,
      from: e.PARC_SMTP_FROM,
    },
    mail: { maxAttachmentBytes: e.PARC_MAIL_MAX_ATTACHMENT_BYTES },
    security: {
      syslogPort: e.PARC_SYSLOG_PORT,
      syslogHost: e.PARC_SYSLOG_HOST,
      syslogTls:
        e.PARC_SYSLOG_TLS_CERT && e.PARC_SYSLOG_TLS_KEY
          ? { cert: e.PARC_SYSLOG_TLS_CERT, key: e.PARC_SYSLOG_TLS_KEY }
          : null,
      escalateAfterMinutes: e.PARC_SECURITY_ESCALATE_MINUTES,
    },
  };
}
