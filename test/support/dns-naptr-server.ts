/**
 * A real DNS server on 127.0.0.1 (UDP, dns-packet over node:dgram) that plays the SML: NAPTR answers for the names
 * a test sets, NXDOMAIN for every other name, and on demand an empty answer (NODATA), SERVFAIL, REFUSED or silence.
 */
import dnsPacket from 'dns-packet';
import { createSocket, type RemoteInfo } from 'node:dgram';

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface NaptrAnswer {
  order?: number;
  preference?: number;
  flags?: string;
  services: string;
  regexp: string;
  replacement?: string;
}

export type DnsBehaviour = { naptr: NaptrAnswer[] } | 'nodata' | 'servfail' | 'refused' | 'silent';

export interface DnsNaptrServer {
  /** `127.0.0.1:<port>`, as PEPPOL_DNS_SERVERS takes it. */
  address: string;
  set(name: string, behaviour: DnsBehaviour): void;
  /** The SML's answer for an SMP: one U-NAPTR record of service Meta:SMP. */
  setSmp(name: string, smpUrl: string): void;
  clear(name: string): void;
  /** Questions asked so far, by lowercased name. */
  queries(name: string): number;
  close(): Promise<void>;
}

export async function startDnsNaptrServer(): Promise<DnsNaptrServer> {
  const socket = createSocket('udp4');
  const behaviours = new Map<string, DnsBehaviour>();
  const asked = new Map<string, number>();

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    asked.set(name, (asked.get(name) ?? 0) + 1);
    const behaviour = behaviours.get(name);
    if (behaviour === 'silent') return;
    const reply = (rcode: keyof typeof RCODES, answers: dnsPacket.Answer[] = []) => {
      // dns-packet encodes the rcode only from the low four bits of `flags` (RFC 1035 §4.1.1).
      const packet = dnsPacket.encode({
        id: query.id,
        type: 'response',
        flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | RCODES[rcode],
        questions: [question],
        answers,
      } as dnsPacket.Packet);
      socket.send(packet, remote.port, remote.address);
    };
    if (behaviour === undefined) return reply('NXDOMAIN');
    if (behaviour === 'servfail') return reply('SERVFAIL');
    if (behaviour === 'refused') return reply('REFUSED');
    if (behaviour === 'nodata' || question.type !== 'NAPTR') return reply('NOERROR');
    reply(
      'NOERROR',
      behaviour.naptr.map((n) => ({
        type: 'NAPTR',
        name: question.name,
        ttl: 60,
        class: 'IN',
        data: { order: n.order ?? 100, preference: n.preference ?? 10, flags: n.flags ?? 'U', services: n.services, regexp: n.regexp, replacement: n.replacement ?? '.' },
      })) as dnsPacket.Answer[],
    );
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');

  return {
    address: `127.0.0.1:${port}`,
    set: (name, behaviour) => void behaviours.set(key(name), behaviour),
    setSmp: (name, smpUrl) => void behaviours.set(key(name), { naptr: [{ services: 'Meta:SMP', regexp: `!^.*$!${smpUrl}!` }] }),
    clear: (name) => void behaviours.delete(key(name)),
    queries: (name) => asked.get(key(name)) ?? 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
