import { mulberry32 } from '@beacon/synth';

/** A small seeded byte mutator: what the fuzz suite feeds every parser. */

/** Mulberry32 (from @beacon/synth): a fast seeded PRNG, so every case can be replayed from its number. */
export const rng: (seed: number) => () => number = mulberry32;

/** Byte strings that break parsers more often than random bytes do. */
const TOKENS = [
  '0', '-1', '1e308', '-1e308', '1e-9', '8640000000001', '18446744073709551616', '9007199254740993', '4294967295', '65536',
  'NaN', 'null', 'true', '""', '"\\u0000"', '"\\ud800"', '[]', '{}', '[[[[[[[[', '}}}}', ',', ':', '"', '\\', '\t', '\n', '\r\n',
  '"fe80::1%eth0"', '"::ffff:1.2.3.4"', '"256.1.1.1"', '"flow_end"', '"x"', '#fields', '#separator', '-', '(empty)',
  '\u00e9', '\uffff', '\u0000', '\xff\xff\xff\xff', '\x00\x00\x00\x00', '\x0a\x0d\x0d\x0a', '\xd4\xc3\xb2\xa1', '\x4d\x3c\x2b\x1a',
];
const TOKEN_BUFS = TOKENS.map((t) => Buffer.from(t, 'latin1'));

/** Returns a mutated copy of `seed`: one to eight edits (flip, set, insert, delete, duplicate, token, truncate). */
export function mutate(seed: Buffer, r: () => number): Buffer {
  let b = Buffer.from(seed);
  const edits = 1 + Math.floor(r() * 8);
  const at = (): number => Math.floor(r() * (b.length + 1));
  for (let e = 0; e < edits; e++) {
    const op = Math.floor(r() * 8);
    if (b.length === 0 && op < 3) continue;
    switch (op) {
      case 0: {
        const i = Math.floor(r() * b.length);
        b[i] = b[i]! ^ (1 << Math.floor(r() * 8));
        break;
      }
      case 1: {
        const i = Math.floor(r() * b.length);
        b[i] = [0, 0xff, 0x7f, 0x80, 0x22, 0x7b, 0x30 + Math.floor(r() * 10), 0x0a, 0x09][Math.floor(r() * 9)]!;
        break;
      }
      case 2: {
        const i = at();
        const n = 1 + Math.floor(r() * Math.min(64, b.length));
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + n)]);
        break;
      }
      case 3: {
        const i = at();
        const rand = Buffer.alloc(1 + Math.floor(r() * 8));
        for (let k = 0; k < rand.length; k++) rand[k] = Math.floor(r() * 256);
        b = Buffer.concat([b.subarray(0, i), rand, b.subarray(i)]);
        break;
      }
      case 4:
      case 5: {
        const i = at();
        const t = TOKEN_BUFS[Math.floor(r() * TOKEN_BUFS.length)]!;
        const replace = op === 5 ? Math.floor(r() * 12) : 0;
        b = Buffer.concat([b.subarray(0, i), t, b.subarray(i + replace)]);
        break;
      }
      case 6: {
        const i = at();
        const j = Math.min(b.length, i + 1 + Math.floor(r() * 256));
        const times = 1 + Math.floor(r() * 4);
        b = Buffer.concat([b.subarray(0, j), ...Array.from({ length: times }, () => b.subarray(i, j)), b.subarray(j)]);
        break;
      }
      default:
        b = b.subarray(0, at());
    }
  }
  return b;
}
