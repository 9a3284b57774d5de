/** TCP flag bits as Suricata writes them in `tcp_flags`, `tcp_flags_ts` and `tcp_flags_tc` (hex). */
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/**
 * The Zeek `conn_state` a Suricata flow record stands for, so that reconnect detection written
 * for Zeek works on EVE too. `flagsToServer`/`flagsToClient` are the flags seen in each
 * direction (EVE `tcp.tcp_flags_ts` / `tcp.tcp_flags_tc`); for UDP and other protocols (no
 * flags) the packet counts decide: `S0` when the responder never answered, else `SF`.
 *
 * TCP: `S0` SYN unanswered, `REJ` SYN answered by RST, `RSTOS0` originator SYN then RST with no
 * SYN-ACK, `SH` originator SYN+FIN with no SYN-ACK, `SF` both sides closed with FIN, `RSTO` /
 * `RSTR` established then reset by the originator / responder, `S2` / `S3` only the originator /
 * responder closed, `S1` established and still open, `OTH` no SYN seen (midstream).
 *
 * @example
 * eveConnState(6, 0x02, 0x14, 1, 1); // 'REJ'
 */
export function eveConnState(protocol: number, flagsToServer: number, flagsToClient: number, pktsToServer: number, pktsToClient: number): string {
  if (protocol !== 6) return pktsToClient > 0 ? 'SF' : pktsToServer > 0 ? 'S0' : 'OTH';
  const ts = flagsToServer;
  const tc = flagsToClient;
  if ((ts & SYN) === 0) return 'OTH';
  const answered = (tc & SYN) !== 0 && (tc & ACK) !== 0;
  if (!answered) {
    if ((tc & RST) !== 0) return 'REJ';
    if ((ts & RST) !== 0) return 'RSTOS0';
    if ((ts & FIN) !== 0) return 'SH';
    return tc === 0 && pktsToClient === 0 ? 'S0' : 'OTH';
  }
  if ((ts & RST) !== 0) return 'RSTO';
  if ((tc & RST) !== 0) return 'RSTR';
  const origFin = (ts & FIN) !== 0;
  const respFin = (tc & FIN) !== 0;
  if (origFin && respFin) return 'SF';
  if (origFin) return 'S2';
  if (respFin) return 'S3';
  return 'S1';
}
