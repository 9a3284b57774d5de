import { describe, expect, it } from 'vitest';
import { BytePattern } from './bytePattern.js';
import { fieldsFromRow } from './eveFlow.js';
import { emptyFields, type FlowFields } from './flowFields.js';
import { FlowLineScanner } from './scanFlowLine.js';
import { sampleLines } from './testing/eveSample.js';

/** The fields as comparable values (the time texts instead of their buffers). */
function view(f: FlowFields): Record<string, unknown> {
  const text = (b: Uint8Array | undefined, s: number, e: number): string | undefined => (b === undefined ? undefined : Buffer.from(b.subarray(s, e)).toString('utf8'));
  const { startBuf, startAt, startEnd, endBuf, endAt, endEnd, ...rest } = f;
  return { ...rest, start: text(startBuf, startAt, startEnd), end: text(endBuf, endAt, endEnd) };
}

/** Scans `line` placed in the middle of a larger buffer (so reading past its end would show). */
function scan(scanner: FlowLineScanner, line: string): boolean {
  const buf = Buffer.from(`xx${line}\n{"more":1}`);
  return scanner.scan(buf, 2, 2 + Buffer.byteLength(line));
}

/** A small deterministic generator (xorshift), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const flows = sampleLines().filter((l) => l.includes('"event_type":"flow"'));
const NOISE = ['"', '\\', ',', ':', '{', '}', '[', ']', ' ', '-', '0', '1', '.', 'e', 'E', '+', 'n', 't', 'f', '\t', '\n', '\u0001', 'é', 'u', '\\u00e9', '\\x'];

describe('FlowLineScanner', () => {
  it('reads every flow record of the sample as the JSON.parse path does', () => {
    const scanner = new FlowLineScanner(emptyFields());
    const slow = emptyFields();
    expect(flows.length).toBeGreaterThan(5);
    for (const line of flows) {
      expect(scan(scanner, line), line).toBe(true);
      fieldsFromRow(JSON.parse(line) as Record<string, unknown>, slow);
      expect(view(scanner.fields), line).toEqual({ ...view(slow), protoText: scanner.fields.protoText });
    }
  });

  it('accepts a damaged line only when JSON.parse does, and then reads the same fields', () => {
    const scanner = new FlowLineScanner(emptyFields());
    const slow = emptyFields();
    const next = rng(18);
    let accepted = 0;
    let refused = 0;
    for (let n = 0; n < 20_000; n++) {
      const base = flows[n % flows.length] as string;
      let line = base;
      for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
        const at = Math.floor(next() * (line.length + 1));
        const op = next();
        if (op < 0.35) line = line.slice(0, at) + line.slice(at + 1);
        else if (op < 0.8) line = line.slice(0, at) + (NOISE[Math.floor(next() * NOISE.length)] as string) + line.slice(at);
        else line = line.slice(0, at);
      }
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        row = undefined;
      }
      const ok = scan(scanner, line);
      if (row === undefined || typeof row !== 'object' || row === null || Array.isArray(row)) {
        expect(ok, `scanner accepted what JSON.parse refuses: ${line}`).toBe(false);
        refused++;
        continue;
      }
      if (!ok) continue; // the slow path decides (and words the error)
      accepted++;
      fieldsFromRow(row as Record<string, unknown>, slow);
      expect(view(scanner.fields), line).toEqual({ ...view(slow), protoText: scanner.fields.protoText });
    }
    // Both outcomes were exercised many times.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('gives up on nesting deeper than it tracks, leaving it to JSON.parse', () => {
    const scanner = new FlowLineScanner(emptyFields());
    const deep = `{"flow":{},"x":${'['.repeat(70)}${']'.repeat(70)}}`;
    JSON.parse(deep);
    expect(scan(scanner, deep)).toBe(false);
    expect(scan(scanner, `{"flow":{},"x":${'['.repeat(10)}${']'.repeat(10)}}`)).toBe(true);
  });
});

describe('BytePattern', () => {
  it('finds the first occurrence within the range only', () => {
    const p = new BytePattern('"event_type":"');
    const line = Buffer.from('{"a":"event_type","event_type":"flow","event_type":"x"}\n{"event_type":"dns"}');
    const nl = line.indexOf(10);
    expect(p.find(line, 0, nl)).toBe(line.indexOf('"event_type":"'));
    expect(p.find(line, 20, nl)).toBe(line.indexOf('"event_type":"x'));
    expect(p.find(line, 40, nl)).toBe(-1);
    expect(p.find(line, nl, line.length)).toBe(nl + 2);
    const r = rng(7);
    for (let n = 0; n < 2000; n++) {
      const hay = Buffer.from(Array.from({ length: 40 }, () => 'ab"e_:'[Math.floor(r() * 6)]).join(''));
      const q = new BytePattern(['"e', 'ab', 'e_:', '"a"b', 'b'][n % 5] as string);
      const from = Math.floor(r() * 10);
      const expected = hay.indexOf(Buffer.from(q.bytes), from);
      expect(q.find(hay, from, hay.length)).toBe(expected);
    }
  });
});
