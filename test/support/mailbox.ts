/**
 * An SMTP server on loopback that keeps what it is sent, parsed: where replies and codes go in tests.
 * `gone-…` mailboxes do not exist (550, for good); a `flaky-…` one is unavailable (451) the first time.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}

export async function startMailbox() {
  const received: Received[] = [];
  const refusedOnce = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'], authOptional: true, logger: false,
    onRcptTo(address, _session, callback) {
      callback(address.address.startsWith('gone-') ? Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((a) => a.address);
      const flaky = to.find((a) => a.startsWith('flaky-') && !refusedOnce.has(a));
      if (flaky) {
        refusedOnce.add(flaky);
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream).then((mail) => {
        received.push({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to }, mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    /** SMTP_URL for the product. */
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address: string) => received.filter((r) => r.envelope.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Mailbox = Awaited<ReturnType<typeof startMailbox>>;
