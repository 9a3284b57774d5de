import { describe, expect, it } from 'vitest';
import { BeaconError, errorGuard } from './beaconError.js';
import { ScoringError, isScoringError } from './errors.js';

class WidgetError extends BeaconError<'BROKEN' | 'MISSING'> {
  override readonly name = 'WidgetError' as const;
}
const isWidgetError = errorGuard<WidgetError>('WidgetError', ['BROKEN', 'MISSING']);

describe('BeaconError and errorGuard', () => {
  it('carries code, message and cause, and is an Error', () => {
    const cause = new Error('disk');
    const e = new WidgetError('BROKEN', 'widget.yaml: size: must be positive', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(BeaconError);
    expect(e.name).toBe('WidgetError');
    expect(e.code).toBe('BROKEN');
    expect(e.message).toBe('widget.yaml: size: must be positive');
    expect(e.cause).toBe(cause);
    expect('cause' in new WidgetError('MISSING', 'x')).toBe(false);
  });

  it('guards by name and known code, so copies from another bundle pass and look-alikes do not', () => {
    expect(isWidgetError(new WidgetError('MISSING', 'x'))).toBe(true);
    // a copy of the class from another bundle: same name and code, different prototype
    expect(isWidgetError(Object.assign(new Error('x'), { name: 'WidgetError', code: 'BROKEN' }))).toBe(true);
    expect(isWidgetError(Object.assign(new Error('x'), { name: 'WidgetError', code: 'OTHER' }))).toBe(false);
    expect(isWidgetError(Object.assign(new Error('x'), { name: 'GadgetError', code: 'BROKEN' }))).toBe(false);
    expect(isWidgetError(new ScoringError('INVALID_SIZE', 'x'))).toBe(false);
    expect(isScoringError(new WidgetError('BROKEN', 'x'))).toBe(false);
    for (const v of [null, undefined, 'WidgetError', 42, {}]) expect(isWidgetError(v)).toBe(false);
  });

  it('without a code list accepts any string code', () => {
    const anyCode = errorGuard<WidgetError>('WidgetError');
    expect(anyCode({ name: 'WidgetError', code: 'NEW_CODE' })).toBe(true);
    expect(anyCode({ name: 'WidgetError', code: 7 })).toBe(false);
  });
});
