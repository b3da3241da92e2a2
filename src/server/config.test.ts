import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  it('defaults to port 8080 and an SQLite file under ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('data/parc.db') });
    expect(config.baseUrl).toBe('http://localhost:8080');
    expect(config.secureCookies).toBe(false);
  });

  it('chooses PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
  });

  it('names each bad variable and what it expects, all at once', () => {
    const lines = problems({
      PARC_PORT: 'eighty',
      PARC_LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      PARC_SECRET_KEY: 'short',
    });
    expect(lines).toHaveLength(4);
    expect(lines).toContain('PARC_PORT: expected a TCP port number between 1 and 65535 (got "eighty")');
    expect(lines.find((l) => l.startsWith('PARC_LOG_LEVEL:'))).toMatch(/one of fatal, error/);
    expect(lines.find((l) => l.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
    // Secrets are never echoed back.
    expect(lines.find((l) => l.startsWith('PARC_SECRET_KEY:'))).not.toContain('short');
  });

  it('refuses a port out of range and a short admin password', () => {
    expect(problems({ PARC_PORT: '70000' })[0]).toMatch(/^PARC_PORT:/);
    expect(problems({ PARC_ADMIN_PASSWORD: 'short' })[0]).toBe(
      'PARC_ADMIN_PASSWORD: expected a password of at least 12 characters',
    );
  });

  it('treats empty variables as unset and marks https base URLs for secure cookies', () => {
    const config = loadConfig({ PARC_PORT: '', PARC_BASE_URL: 'https://parc.example.com/' });
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('https://parc.example.com');
    expect(config.secureCookies).toBe(true);
  });

  it('accepts a hex secret key', () => {
    expect(loadConfig({ PARC_SECRET_KEY: 'ab'.repeat(32) }).secretKey).toHaveLength(32);
  });
});
