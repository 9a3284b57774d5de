import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BeaconItem, Detection } from '@beacon/detector';
import * as api from './index.js';
import type { BeaconRow, HuntResult } from './index.js';

describe('public surface', () => {
  it('exports exactly the hunt, evaluation and row helpers', () => {
    expect(Object.keys(api).sort()).toEqual([
      'HistoryCollector',
      'HuntError',
      'beaconRowSchema',
      'computeMetrics',
      'coveredByName',
      'createHunt',
      'evaluate',
      'huntFiles',
      'inTruth',
      'inputKindOf',
      'isBeaconLabel',
      'isHuntError',
      'loadTruth',
      'parseTruth',
      'readEventFile',
      'toBeaconRow',
      'writeHtmlReport',
    ]);
  });

  it('a beacon row is the API beacon item plus score, severity and interval', () => {
    expectTypeOf<BeaconRow>().toMatchTypeOf<BeaconItem>();
    expectTypeOf<BeaconRow['interval']>().toEqualTypeOf<number | null>();
    expectTypeOf(api.toBeaconRow).parameter(0).toEqualTypeOf<Detection>();
    expectTypeOf<HuntResult['scored']>().toEqualTypeOf<Detection[]>();
  });
});
