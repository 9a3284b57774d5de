export { NameParse, MAX_NAME_LENGTH } from './nameParse.js';
export type { NameParseResult } from './nameParse.js';
export { normalizeHostName } from './hostName.js';
export { parseClientHelloSni, CLIENT_HELLO_MAX_BYTES } from './parseClientHelloSni.js';
export { parseHttpHost, HTTP_HEAD_MAX_BYTES } from './parseHttpHost.js';
export { parseDnsResponse, DnsParse, DnsType, DNS_MAX_ANSWERS, DNS_MAX_POINTERS } from './parseDnsResponse.js';
export type { DnsAddressAnswer, DnsResponseResult } from './parseDnsResponse.js';
export { DnsNameTable } from './dnsNameTable.js';
export type { DnsNameTableOptions } from './dnsNameTable.js';
