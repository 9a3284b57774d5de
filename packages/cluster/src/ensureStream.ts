import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { ClusterError } from './clusterError.js';
import { EVENT_SUBJECT_PREFIX } from './partition.js';

/** What the event stream is created with. */
export interface StreamSettings {
  stream: string;
  /** Seconds events are kept. */
  maxAgeSeconds: number;
  replicas: number;
}

/** JetStream's de-duplication window: a publisher retrying a batch within it stores it once. */
const DUPLICATE_WINDOW_NS = 120 * 1e9;

/**
 * Creates the event stream (`beacon.events.*`, file storage, limits retention, de-duplication
 * window of two minutes) unless it exists; an existing stream is checked to carry the subjects.
 * @throws {@link ClusterError} `LAYOUT_MISMATCH` when the stream exists with other subjects
 */
export async function ensureStream(jsm: JetStreamManager, s: StreamSettings): Promise<StreamInfo> {
  const subject = `${EVENT_SUBJECT_PREFIX}*`;
  try {
    const info = await jsm.streams.info(s.stream);
    if (!info.config.subjects?.includes(subject)) throw new ClusterError('LAYOUT_MISMATCH', `stream ${s.stream} exists with subjects ${JSON.stringify(info.config.subjects)}, not ${subject}`);
    return info;
  } catch (error) {
    if ((error as { name?: string }).name === 'ClusterError') throw error;
    if (!/not found/i.test((error as Error).message)) throw error;
  }
  return jsm.streams.add({
    name: s.stream,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: s.maxAgeSeconds * 1e9,
    num_replicas: s.replicas,
    duplicate_window: DUPLICATE_WINDOW_NS,
  });
}
