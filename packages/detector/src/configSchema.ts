import { z } from 'zod';
import { DEFAULT_DETECTOR_CONFIG as D } from './config.js';
import type { DetectorConfig, DetectorConfigInput } from './config.js';
import { DetectorError } from './detectorError.js';
import { parseCidr, parsePairRule } from './internal/ip.js';
import { isServerName } from './internal/serverNames.js';

const seconds = (def: number) => z.number().finite().positive().default(def);
const count = (def: number, min: number) => z.number().int().min(min).default(def);
const unit = (def: number) => z.number().min(0).max(1).default(def);
const weight = (def: number) => z.number().finite().min(0).default(def);
const cidr = z.string().refine((s) => parseCidr(s) !== null, { message: 'expected an IPv4/IPv6 address or CIDR prefix' });
const serverName = z.string().refine((s) => isServerName(s.replace(/\.$/, ''), true), { message: "expected a host name or a wildcard suffix such as '*.example.com'" });
const port = z.number().int().min(0).max(65535);
const PROTOCOL_NAMES: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
const protocol = z.union([
  z.number().int().min(0).max(255),
  z
    .string()
    .refine((s) => s.toLowerCase() in PROTOCOL_NAMES, { message: 'expected a protocol number or tcp/udp/icmp/icmpv6' })
    .transform((s) => PROTOCOL_NAMES[s.toLowerCase()] as number),
]);

const weightsSchema = z
  .strictObject({ cv: weight(D.weights.cv), periodicity: weight(D.weights.periodicity), jitter: weight(D.weights.jitter), size: weight(D.weights.size) })
  .refine((w) => w.cv + w.periodicity + w.jitter + w.size > 0, { message: 'weights must not all be zero' })
  .refine((w) => Number.isFinite(w.cv + w.periodicity + w.jitter + w.size), { message: 'weights must have a finite sum' });
/** A timer interval: Node's timers hold at most 2^31 - 1 ms (a longer delay becomes a 1 ms loop). */
const timer = (def: number) => z.number().finite().positive().max(2_147_483).default(def);

const allowlistSchema = z.strictObject({
  sourceIps: z.array(cidr).default([]),
  destinationIps: z.array(cidr).default([]),
  destinationPorts: z.array(port).default([]),
  pairs: z.array(z.string().refine((s) => parsePairRule(s) !== null, { message: "expected 'src:dst:port'" })).default([]),
  serverNames: z.array(serverName).default([]),
});

const benignPatternSchema = z
  .strictObject({
    dstPort: port.optional(),
    protocol: protocol.optional(),
    dstIps: z.array(cidr).min(1).optional(),
    serverNames: z.array(serverName).min(1).optional(),
    label: z.string().min(1),
  })
  .refine((p) => p.dstPort !== undefined || p.dstIps !== undefined || p.serverNames !== undefined, { message: 'a pattern needs dstPort, dstIps or serverNames', path: ['dstPort'] });

const benignSchema = z.strictObject({
  enabled: z.boolean().default(true),
  multicast: z.boolean().default(true),
  patterns: z.array(benignPatternSchema).default([]),
});

const objectSchema = z
  .strictObject({
    minConnections: count(D.minConnections, 3),
    minDuration: seconds(D.minDuration),
    timeWindow: seconds(D.timeWindow),
    cvThreshold: z.number().finite().nonnegative().default(D.cvThreshold),
    alertThreshold: unit(D.alertThreshold),
    jitterThreshold: z.number().finite().nonnegative().default(D.jitterThreshold),
    analysisInterval: timer(D.analysisInterval),
    alertCooldown: z.number().finite().nonnegative().default(D.alertCooldown),
    minBeaconInterval: z.number().finite().nonnegative().default(D.minBeaconInterval),
    maxBeaconInterval: seconds(D.maxBeaconInterval),
    weights: weightsSchema.default({ ...D.weights }),
    dataRetention: seconds(D.dataRetention),
    cleanupInterval: timer(D.cleanupInterval),
    maxPairs: count(D.maxPairs, 1),
    maxHistory: z.number().int().min(4).max(65_536).default(D.maxHistory),
    maxOpenFlows: count(D.maxOpenFlows, 1),
    outOfOrderTolerance: z.number().finite().nonnegative().max(86_400).default(D.outOfOrderTolerance),
    allowlist: allowlistSchema.default({ sourceIps: [], destinationIps: [], destinationPorts: [], pairs: [], serverNames: [] }),
    benignBaseline: benignSchema.default({ enabled: true, multicast: true, patterns: [] }),
  })
  .superRefine((c, ctx) => {
    if (c.minBeaconInterval >= c.maxBeaconInterval) {
      ctx.addIssue({ code: 'custom', path: ['minBeaconInterval'], message: `must be below maxBeaconInterval (${c.maxBeaconInterval})` });
    }
    if (c.maxHistory < c.minConnections) {
      ctx.addIssue({ code: 'custom', path: ['maxHistory'], message: `must be at least minConnections (${c.minConnections})` });
    }
  })
  .transform((c): DetectorConfig => {
    // The original's rule: benign baseline enabled with no patterns means NTP (UDP/123).
    const patterns = c.benignBaseline.patterns.length > 0 ? c.benignBaseline.patterns : D.benignBaseline.patterns.map((p) => ({ ...p }));
    return { ...c, benignBaseline: { enabled: c.benignBaseline.enabled, multicast: c.benignBaseline.multicast, patterns } };
  });

/**
 * zod schema of the detector configuration: strict (unknown keys rejected, at every level),
 * every key optional with its {@link DEFAULT_DETECTOR_CONFIG} value, cross-field checks
 * (`minBeaconInterval < maxBeaconInterval`, `maxHistory >= minConnections`). Output is a full
 * {@link DetectorConfig}.
 * @example
 * const cfg = detectorConfigSchema.parse({ minConnections: 8, allowlist: { destinationPorts: [53] } });
 */
export const detectorConfigSchema: z.ZodType<DetectorConfig, DetectorConfigInput> = objectSchema;

/**
 * Validates a configuration input and fills defaults.
 * @throws {@link DetectorError} `INVALID_CONFIG` whose message lists every problem as `path: message`.
 */
export function resolveConfig(input: unknown = {}): DetectorConfig {
  const r = detectorConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new DetectorError('INVALID_CONFIG', `invalid detector config: ${problems.join('; ')}`, { cause: r.error });
}
