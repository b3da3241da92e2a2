import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP peer for the mail tests: smtp-server on a free port of 127.0.0.1, plain SMTP (no
 * STARTTLS, no AUTH), keeping every message it accepts.
 */
export type SmtpPeer = {
  port: number;
  messages: Array<{ from: string; to: string[]; raw: Buffer }>;
  /** Parsed messages (mailparser), in arrival order. */
  parsed(): Promise<ParsedMail[]>;
  /** Makes the peer refuse every message with a 451 until told otherwise. */
  refuse(on: boolean): void;
  close(): Promise<void>;
};

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: SmtpPeer['messages'] = [];
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusing) {
          const err = new Error('451 try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          callback(err);
          return;
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    parsed: () => Promise.all(messages.map((m) => simpleParser(m.raw))),
    refuse: (on) => {
      refusing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
