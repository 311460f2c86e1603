/**
 * The SMTP listener (SMTP_LISTEN_PORT): mail for deployed support addresses is taken over SMTP and
 * handled as the inbound route handles it (channels/email/inbound.ts). Meant to sit behind the install's
 * MX or a relay that forwards the support addresses to it: it offers neither AUTH nor STARTTLS.
 *
 * Refusals follow SMTP's meaning: a recipient that is no deployment is refused for good (550); a failure
 * of ours (the database, Temporal) is temporary (451), so the sending server tries again later.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { MAX_EMAIL_BYTES, NoEmailDeploymentError, emailDeploymentFor, receiveEmail, type EmailInboundDeps } from './inbound.js';

export interface EmailListenerOptions {
  port: number;
  host: string;
  deps: EmailInboundDeps;
  log?: (line: Record<string, unknown>) => void;
}

export interface EmailListener {
  /** The port listened on (the one given, or the one taken for port 0). */
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startEmailListener({ port, host, deps, log = (line) => console.error(JSON.stringify(line)) }: EmailListenerOptions): Promise<EmailListener> {
  const server = new SMTPServer({
    name: 'customer-agent',
    banner: 'customer-agent inbound email',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_EMAIL_BYTES,
    logger: false,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      emailDeploymentFor(deps, address.address).then(
        (d) => callback(d ? null : smtpError(550, `5.1.1 <${address.address}>: no agent is deployed on this address`)),
        (err: Error) => {
          log({ level: 'error', msg: 'smtp listener: recipient check failed', error: err.message });
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      readAll(stream).then(async (raw) => {
        if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 the message is larger than ${MAX_EMAIL_BYTES} bytes`));
        const recipients = session.envelope.rcptTo.map((a) => a.address);
        const receipt = await receiveEmail(deps, raw, { recipients });
        if (receipt.status === 'ignored') log({ level: 'info', msg: 'smtp listener: email not answered', reason: receipt.reason, recipients });
        callback(null);
      }).catch((err: Error) => {
        if (err instanceof NoEmailDeploymentError) return callback(smtpError(550, `5.1.1 ${err.message}`));
        log({ level: 'error', msg: 'smtp listener: email not taken', error: err.message });
        callback(smtpError(451, '4.3.0 temporary failure, try again later'));
      });
    },
  });
  server.on('error', (err) => log({ level: 'warn', msg: 'smtp listener: connection error', error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
