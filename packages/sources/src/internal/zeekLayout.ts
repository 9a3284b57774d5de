/** The state a Zeek TSV header sets up: separators, markers and which column holds what. */
export interface ZeekLayout {
  /** Field separator byte (Zeek always writes a single byte; `\x09` by default). */
  sep: number;
  setSep: string;
  empty: Buffer;
  unset: Buffer;
  fields: string[];
  /** Column indexes, -1 when the log has no such column. */
  col: ZeekColumns;
}

/** Indexes of the columns the reader uses. */
export interface ZeekColumns {
  ts: number;
  origH: number;
  origP: number;
  respH: number;
  respP: number;
  proto: number;
  duration: number;
  origBytes: number;
  origPkts: number;
  history: number;
  connState: number;
  respBytes: number;
  localOrig: number;
  localResp: number;
  label: number;
  detailedLabel: number;
  uid: number;
}

const REQUIRED = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto'] as const;

/** The layout before any header: Zeek's defaults, no fields. */
export function defaultLayout(): ZeekLayout {
  return { sep: 9, setSep: ',', empty: Buffer.from('(empty)'), unset: Buffer.from('-'), fields: [], col: columns([]) };
}

function columns(fields: string[]): ZeekColumns {
  const at = (...names: string[]): number => {
    for (const n of names) {
      const i = fields.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  return {
    ts: at('ts'),
    origH: at('id.orig_h'),
    origP: at('id.orig_p'),
    respH: at('id.resp_h'),
    respP: at('id.resp_p'),
    proto: at('proto'),
    duration: at('duration'),
    origBytes: at('orig_bytes'),
    origPkts: at('orig_pkts'),
    history: at('history'),
    connState: at('conn_state'),
    respBytes: at('resp_bytes'),
    localOrig: at('local_orig'),
    localResp: at('local_resp'),
    label: at('label'),
    detailedLabel: at('detailedlabel', 'detailed-label', 'detailed_label'),
    uid: at('uid'),
  };
}

/** Decodes Zeek's `\xHH` escapes in header values. */
function unescape(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Applies one `#` header line to the layout. Returns an error message when the line is a
 * header the reader needs but cannot use; unknown headers (`#path`, `#open`, ...) are ignored.
 */
export function applyHeader(layout: ZeekLayout, line: string): string | undefined {
  if (line.startsWith('#separator')) {
    const value = unescape(line.slice('#separator'.length).trim());
    if (value.length !== 1) return `unsupported #separator ${JSON.stringify(value)} (one byte expected)`;
    layout.sep = value.charCodeAt(0);
    return undefined;
  }
  const sep = String.fromCharCode(layout.sep);
  const parts = line.split(sep);
  const key = parts[0];
  const value = (): string => unescape(parts[1] ?? '');
  switch (key) {
    case '#set_separator':
      layout.setSep = value();
      return undefined;
    case '#empty_field':
      layout.empty = Buffer.from(value(), 'latin1');
      return undefined;
    case '#unset_field':
      layout.unset = Buffer.from(value(), 'latin1');
      return undefined;
    case '#fields': {
      const fields = parts.slice(1);
      const missing = REQUIRED.filter((f) => !fields.includes(f));
      layout.fields = fields;
      layout.col = columns(fields);
      return missing.length > 0 ? `#fields lacks ${missing.join(', ')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** True when the layout has every column an event needs. */
export function layoutUsable(layout: ZeekLayout): boolean {
  const c = layout.col;
  return c.ts >= 0 && c.origH >= 0 && c.origP >= 0 && c.respH >= 0 && c.respP >= 0 && c.proto >= 0;
}
