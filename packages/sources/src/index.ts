export { readZeekConnLog, readZeekConnColumns } from './readZeekConnLog.js';
export { EventColumnsEncoder, EventColumnsDecoder, EventBatchWriter, eventColumnsTransferList, EVENT_COLUMNS_F64, EVENT_COLUMNS_U32 } from './columns.js';
export type { EventColumns, EventBatch, RowWriter } from './columns.js';
export { formatZeekConnLog } from './formatZeekConnLog.js';
export type { ZeekOptions, ZeekLabel, ZeekShard, LabelVerdict, ColumnSource } from './readZeekConnLog.js';
export { readZeekLogs, zeekLogFiles } from './readZeekLogs.js';
export type { ZeekLogsOptions, ZeekLogFile } from './readZeekLogs.js';
export type { ZeekLogKind } from './internal/zeekNames.js';
export { readPcap } from './readPcap.js';
export { CAPTURE_MAX_FLOWS } from './internal/captureReader.js';
export type { PcapOptions } from './readPcap.js';
export { readSuricataEve } from './eve/readSuricataEve.js';
export type { EveOptions } from './eve/readSuricataEve.js';
export { eveConnState } from './eve/eveConnState.js';
export { openSource, openColumnSource, sniffSource } from './openSource.js';
export type { OpenSourceOptions, OpenedSource } from './openSource.js';
export { SourceError, isSourceError } from './errors.js';
export type { SourceErrorCode } from './errors.js';
export type {
  EventSource,
  SourceFormat,
  SourceInput,
  SourceOptions,
  SourceProblem,
  SourceProblemKind,
  SourceStats,
} from './types.js';
export {
  NameParse,
  MAX_NAME_LENGTH,
  normalizeHostName,
  parseClientHelloSni,
  CLIENT_HELLO_MAX_BYTES,
  parseHttpHost,
  HTTP_HEAD_MAX_BYTES,
  parseDnsResponse,
  DnsParse,
  DnsType,
  DNS_MAX_ANSWERS,
  DNS_MAX_POINTERS,
  DnsNameTable,
} from './names/index.js';
export type { NameParseResult, DnsAddressAnswer, DnsResponseResult, DnsNameTableOptions } from './names/index.js';
