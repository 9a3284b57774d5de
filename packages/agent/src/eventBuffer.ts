import type { ConnectionEvent } from '@beacon/detector';

/** What {@link EventBuffer.peek} hands out: the oldest events and the mark to acknowledge them with. */
export interface BufferSlice {
  events: ConnectionEvent[];
  /** Pass to {@link EventBuffer.ack} once these events were delivered. */
  end: number;
}

/**
 * A bounded FIFO of events waiting for export. When full, the oldest event is dropped and
 * counted in `overflow`, so memory stays flat however long the control plane is away. Events
 * are read with `peek` and removed with `ack` only after delivery; every event carries a
 * sequence number, so an ack never removes events that replaced dropped ones.
 */
export class EventBuffer {
  /** Events dropped because the buffer was full (cumulative). */
  overflow = 0;
  private readonly slots: Array<ConnectionEvent | undefined>;
  private head = 0;
  private size = 0;
  /** Sequence number of the event at `head`. */
  private headSeq = 0;

  /** @param capacity most events held (`data_plane.max_buffer_size`) */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`buffer capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<ConnectionEvent | undefined>(capacity);
  }

  /** Events waiting. */
  get length(): number {
    return this.size;
  }

  /** Appends events, dropping (and counting) the oldest when full. */
  push(events: readonly ConnectionEvent[]): void {
    for (const event of events) {
      if (this.size === this.capacity) this.dropHead();
      this.slots[(this.head + this.size) % this.capacity] = event;
      this.size++;
    }
  }

  /** The oldest `max` events (at most), left in place until {@link ack}. */
  peek(max: number): BufferSlice {
    const n = Math.min(max, this.size);
    const events: ConnectionEvent[] = new Array<ConnectionEvent>(n);
    for (let i = 0; i < n; i++) events[i] = this.slots[(this.head + i) % this.capacity] as ConnectionEvent;
    return { events, end: this.headSeq + n };
  }

  /** Removes the events before sequence `end` that are still held (some may have overflowed meanwhile). */
  ack(end: number): void {
    while (this.size > 0 && this.headSeq < end) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      this.headSeq++;
    }
  }

  private dropHead(): void {
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    this.headSeq++;
    this.overflow++;
  }
}
