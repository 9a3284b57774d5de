export type { ConnectionEvent, Direction, EventKind } from './event.js';
export type { BeaconItem } from './beaconItem.js';
export { Protocol, eventTime, splitTime, protocolName, pairKey } from './event.js';
export { connectionEventSchema } from './eventSchema.js';
