import type { PersistenceStore } from '@beacon/server';
import { CHECKPOINT_PREFIX, type ShardConsumer } from './shardConsumer.js';

/**
 * Wraps a control plane's store so that every saved delta carries the consumer's checkpoint
 * (the last stream sequence applied per partition, and the consumption counters) in its
 * counters: the same SQLite transaction as the state those events produced. `save` is called
 * by the control plane in the same tick as it took the delta from the detector, and messages
 * are applied synchronously, so the checkpoint describes exactly the state in the delta.
 * Once the transaction is committed, the messages it covers are acknowledged to JetStream.
 * `load` hands the saved checkpoint to the consumer and strips it from the detector's counters.
 */
export function checkpointStore(store: PersistenceStore, consumer: ShardConsumer): PersistenceStore {
  const wrapped: PersistenceStore = {
    async load() {
      const state = await store.load();
      const mine: Record<string, number> = {};
      if (state) {
        for (const [k, v] of Object.entries(state.counters)) {
          if (!k.startsWith(CHECKPOINT_PREFIX)) continue;
          mine[k] = v;
          delete state.counters[k];
        }
      }
      consumer.restore(mine);
      return state;
    },
    save(delta) {
      // Synchronously, before anything else can run: the checkpoint matches the delta.
      Object.assign(delta.counters, consumer.checkpoint());
      const acks = consumer.pendingAcks();
      return store.save(delta).then(() => consumer.committed(acks));
    },
    close: () => store.close(),
  };
  if (store.saveAlerts) wrapped.saveAlerts = (alerts) => store.saveAlerts!(alerts);
  if (store.loadAlerts) wrapped.loadAlerts = (limit) => store.loadAlerts!(limit);
  if (store.path !== undefined) Object.defineProperty(wrapped, 'path', { value: store.path, enumerable: true });
  return wrapped;
}
