/**
 * The fields of one EVE `flow` record that become an event, filled either by the byte scanner
 * ({@link scanFlowLine}) or from a parsed object ({@link fieldsFromRow}). Numbers use -2 for
 * absent and -1 for present but invalid; strings `undefined` for absent.
 */
export interface FlowFields {
  hasFlow: boolean;
  /** `proto` text as written (for messages), and its number (-1 unknown). */
  protoText: string | undefined;
  protocol: number;
  /** Canonical address text; `null` when present but not an address. */
  srcIp: string | null | undefined;
  dstIp: string | null | undefined;
  srcPort: number;
  dstPort: number;
  /**
   * `flow.start` and `flow.end` as bytes `[at, end)` of a buffer (the line itself for the byte
   * scanner, the text's bytes for a parsed record); the buffer is undefined when absent.
   */
  startBuf: Uint8Array | undefined;
  startAt: number;
  startEnd: number;
  endBuf: Uint8Array | undefined;
  endAt: number;
  endEnd: number;
  pktsToServer: number;
  pktsToClient: number;
  bytesToServer: number;
  bytesToClient: number;
  hasTcp: boolean;
  tcpFlags: number;
  flagsToServer: number;
  flagsToClient: number;
}

/** A zeroed fields object (everything absent). */
export function emptyFields(): FlowFields {
  return {
    hasFlow: false,
    protoText: undefined,
    protocol: -1,
    srcIp: undefined,
    dstIp: undefined,
    srcPort: -2,
    dstPort: -2,
    startBuf: undefined,
    startAt: 0,
    startEnd: 0,
    endBuf: undefined,
    endAt: 0,
    endEnd: 0,
    pktsToServer: -2,
    pktsToClient: -2,
    bytesToServer: -2,
    bytesToClient: -2,
    hasTcp: false,
    tcpFlags: -2,
    flagsToServer: -2,
    flagsToClient: -2,
  };
}

/** Resets `f` to {@link emptyFields} in place (the scanner reuses one object). */
export function resetFields(f: FlowFields): void {
  f.hasFlow = false;
  f.protoText = undefined;
  f.protocol = -1;
  f.srcIp = undefined;
  f.dstIp = undefined;
  f.srcPort = -2;
  f.dstPort = -2;
  f.startBuf = undefined;
  f.endBuf = undefined;
  f.pktsToServer = -2;
  f.pktsToClient = -2;
  f.bytesToServer = -2;
  f.bytesToClient = -2;
  f.hasTcp = false;
  f.tcpFlags = -2;
  f.flagsToServer = -2;
  f.flagsToClient = -2;
}
