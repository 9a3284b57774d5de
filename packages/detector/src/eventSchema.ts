import { z } from 'zod';
import type { ConnectionEvent } from './event.js';

/** zod schema of {@link ConnectionEvent}, for validation at the boundaries (never on the hot path). */
export const connectionEventSchema: z.ZodType<ConnectionEvent> = z.object({
  tsSec: z.number().int().nonnegative(),
  tsNsec: z.number().int().min(0).max(999_999_999),
  srcIp: z.union([z.ipv4(), z.ipv6()]),
  dstIp: z.union([z.ipv4(), z.ipv6()]),
  srcPort: z.number().int().min(0).max(65535),
  dstPort: z.number().int().min(0).max(65535),
  protocol: z.number().int().min(0).max(255),
  direction: z.enum(['ingress', 'egress', 'unknown']),
  bytes: z.number().int().nonnegative(),
  packets: z.number().int().nonnegative(),
  tcpFlags: z.number().int().min(0).max(255),
  kind: z.enum(['flow_start', 'burst', 'flow_end']),
  node: z.string(),
  durationSec: z.number().nonnegative().optional(),
  connState: z.string().min(1).max(16).optional(),
  serverName: z.string().min(1).max(255).optional(),
});
