/** A real SMTP server on 127.0.0.1 that keeps what it receives, for the e-mail channel's tests. */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSinkOptions {
  /** Recipients refused for good at RCPT TO: `550 5.1.1 <address>: mailbox unavailable` (the address echoed, as servers do). */
  refuse?: string[];
  /** Recipients refused for now: `451 4.3.0` (a temporary failure, to be retried). */
  deferOnce?: string[];
  /**
   * Called just after the server answered 250 to a message (chaos kills the sender in the window that follows), with
   * the number of SMTP sessions open at that moment, this one included.
   */
  onAccepted?: (mail: ReceivedMail, openSessions: number) => void;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<{ url: string; received: ReceivedMail[]; stop(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const deferred = new Set<string>();
  let openSessions = 0;
  const server = new SMTPServer({
    onConnect(_session, callback) {
      openSessions++;
      callback();
    },
    onClose() {
      openSessions--;
    },
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (options.refuse?.includes(to)) {
        return callback(Object.assign(new Error(`5.1.1 <${to}>: mailbox unavailable`), { responseCode: 550 }));
      }
      if (options.deferOnce?.includes(to) && !deferred.has(to)) {
        deferred.add(to);
        return callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(mail);
        callback();
        options.onAccepted?.(mail, openSessions);
      });
    },
  });
  // A client killed mid-session resets its connection: that is the client's fault, not the server's end.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `smtp://127.0.0.1:${port}`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
