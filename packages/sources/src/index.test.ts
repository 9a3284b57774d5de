import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import * as api from './index.js';
import type { EventSource, SourceProblemKind, SourceStats } from './index.js';

describe('public surface', () => {
  it('exports exactly the readers, openSource and the error helpers', () => {
    expect(Object.keys(api).sort()).toEqual(['SourceError', 'eveConnState', 'isSourceError', 'openSource', 'readPcap', 'readSuricataEve', 'readZeekConnLog']);
  });

  it('sources are async iterables of event batches with stats', () => {
    expectTypeOf<EventSource>().toMatchTypeOf<AsyncIterable<ConnectionEvent[]>>();
    expectTypeOf<SourceStats['problems']>().toEqualTypeOf<Record<SourceProblemKind, number>>();
    expectTypeOf(api.readPcap).returns.toEqualTypeOf<EventSource>();
    expectTypeOf(api.openSource).returns.resolves.toEqualTypeOf<EventSource>();
  });
});
