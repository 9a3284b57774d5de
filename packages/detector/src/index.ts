export type { ConnectionEvent, Direction, EventKind } from './event.js';
export { Protocol, eventTime, splitTime, protocolName, pairKey } from './event.js';
export { connectionEventSchema } from './eventSchema.js';
