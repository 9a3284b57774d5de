import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import * as api from './index.js';
import type { EventSource, SourceProblemKind, SourceStats } from './index.js';

describe('public surface', () => {
  it('exports exactly the readers, openSource, the error helpers, the name parsers and event columns', () => {
    expect(Object.keys(api).sort()).toEqual([
      'CAPTURE_MAX_FLOWS',
      'CLIENT_HELLO_MAX_BYTES',
      'DNS_MAX_ANSWERS',
      'DNS_MAX_POINTERS',
      'DnsNameTable',
      'DnsParse',
      'DnsType',
      'EVENT_COLUMNS_F64',
      'EVENT_COLUMNS_U32',
      'EventBatchWriter',
      'EventColumnsDecoder',
      'EventColumnsEncoder',
      'HTTP_HEAD_MAX_BYTES',
      'MAX_NAME_LENGTH',
      'NameParse',
      'SourceError',
      'eveConnState',
      'eventColumnsTransferList',
      'formatZeekConnLog',
      'isSourceError',
      'normalizeHostName',
      'openColumnSource',
      'openSource',
      'parseClientHelloSni',
      'parseDnsResponse',
      'parseHttpHost',
      'readPcap',
      'readSuricataEve',
      'readZeekConnColumns',
      'readZeekConnLog',
      'readZeekLogs',
      'sniffSource',
      'zeekLogFiles',
    ]);
  });

  it('sources are async iterables of event batches with stats', () => {
    expectTypeOf<EventSource>().toMatchTypeOf<AsyncIterable<ConnectionEvent[]>>();
    expectTypeOf<SourceStats['problems']>().toEqualTypeOf<Record<SourceProblemKind, number>>();
    expectTypeOf(api.readPcap).returns.toEqualTypeOf<EventSource>();
    expectTypeOf(api.openSource).returns.resolves.toEqualTypeOf<EventSource>();
  });
});
