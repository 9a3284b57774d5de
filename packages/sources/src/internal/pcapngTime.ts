/**
 * pcapng timestamps are 64-bit counts of 10^-n (or 2^-n) seconds. Nanosecond counts exceed
 * 2^53, so the split into seconds and nanoseconds is done by long division on 16-bit digits,
 * which stays exact in doubles and allocates nothing (BigInt only for binary resolutions).
 */

/** Per-interface time resolution. */
export interface TsResolution {
  /** 10^n units per second when decimal, 0 when binary. */
  divisor: number;
  /** Nanoseconds per unit remainder (10^(9-n)), decimal only. */
  nsPerUnit: number;
  /** n for a binary resolution (2^-n). */
  binaryShift: number;
  /** `if_tsoffset`: seconds added to every timestamp. */
  offsetSec: number;
}

/** Resolution from an `if_tsresol` byte (default 6: microseconds). */
export function resolution(tsresol = 6, offsetSec = 0): TsResolution {
  if ((tsresol & 0x80) !== 0) return { divisor: 0, nsPerUnit: 0, binaryShift: tsresol & 0x7f, offsetSec };
  const n = Math.min(tsresol, 9);
  // Resolutions finer than 1 ns are rounded down to nanoseconds through the binary path's BigInt.
  if (tsresol > 9) return { divisor: 0, nsPerUnit: 0, binaryShift: -tsresol, offsetSec };
  return { divisor: 10 ** n, nsPerUnit: 10 ** (9 - n), binaryShift: 0, offsetSec };
}

/** Output slot, reused. */
export interface SecNsec {
  sec: number;
  nsec: number;
}

/** Splits the timestamp `hi`:`lo` into seconds and nanoseconds. */
export function splitTimestamp(hi: number, lo: number, r: TsResolution, out: SecNsec): void {
  const d = r.divisor;
  if (d > 0) {
    if (hi < 0x200000) {
      // Below 2^53: plain arithmetic is exact (microsecond counts always are).
      const units = hi * 4294967296 + lo;
      const sec = Math.floor(units / d);
      out.sec = sec + r.offsetSec;
      out.nsec = (units - sec * d) * r.nsPerUnit;
      return;
    }
    let q = 0;
    let rem = 0;
    for (const digit of [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff]) {
      const cur = rem * 65536 + digit;
      const qd = Math.floor(cur / d);
      rem = cur - qd * d;
      q = q * 65536 + qd;
    }
    out.sec = q + r.offsetSec;
    out.nsec = rem * r.nsPerUnit;
    return;
  }
  const units = (BigInt(hi) << 32n) | BigInt(lo);
  if (r.binaryShift >= 0) {
    const shift = BigInt(r.binaryShift);
    const sec = units >> shift;
    const frac = units - (sec << shift);
    out.sec = Number(sec) + r.offsetSec;
    out.nsec = Number((frac * 1_000_000_000n) >> shift);
  } else {
    const div = 10n ** BigInt(-r.binaryShift);
    const sec = units / div;
    out.sec = Number(sec) + r.offsetSec;
    out.nsec = Number(((units - sec * div) * 1_000_000_000n) / div);
  }
}
