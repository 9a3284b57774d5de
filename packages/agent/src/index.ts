/**
 * The Beacon data plane as a library.
 *
 * - {@link startCollector}: the eBPF probe (`@beacon/bpf-probe`) -> allowlist -> a bounded
 *   {@link EventBuffer} -> a {@link TelemetryExporter} (HTTP, `POST /api/v1/telemetry`) or a
 *   {@link JetStreamExporter} (NATS JetStream), retrying with backoff while the control plane is away.
 * - {@link startAgent}: a single host watching itself: the probe feeding `@beacon/server`'s
 *   `createPipeline` (detector, alerts, sinks, persistence) in one process, without HTTP.
 * - {@link buildScenario}, {@link runSimulation}, {@link TelemetrySender}: a simulated data plane
 *   that plants beacons among benign traffic and sends it in real time.
 *
 * @packageDocumentation
 */
export type { BufferSlice } from './eventBuffer.js';
export { EventBuffer } from './eventBuffer.js';
export type { ExporterOptions, ExporterStats } from './exporter.js';
export { TelemetryExporter } from './exporter.js';
export type { JetStreamExporterOptions } from './jetStreamExporter.js';
export { JetStreamExporter } from './jetStreamExporter.js';
export type { NatsForwarder } from './natsForwarder.js';
export { startNatsForwarder } from './natsForwarder.js';
export { natsPublisher } from './natsPublisher.js';
export type { Collector, CollectorOptions, CollectorStats } from './collector.js';
export { startCollector, formatCollectorStats } from './collector.js';
export { probeOptionsFrom } from './probeOptions.js';
export { openStore } from './openStore.js';
export type { Agent, AgentOptions } from './startAgent.js';
export { startAgent } from './startAgent.js';
export type { SimPair, PlantedBeacon, ScenarioOptions, TimelineEntry } from './simulate/scenario.js';
export { DEFAULT_BEACONS, buildScenario, timeline, toEvent } from './simulate/scenario.js';
export type { RunOptions } from './simulate/runSimulation.js';
export { runSimulation } from './simulate/runSimulation.js';
export type { SenderOptions, SenderStats } from './simulate/sender.js';
export { TelemetrySender } from './simulate/sender.js';
