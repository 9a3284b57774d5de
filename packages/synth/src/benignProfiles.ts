/** Names of the built-in benign (aperiodic) processes. */
export type BenignProcessName = 'poisson' | 'browsing' | 'bursty-client';

/** Names of the built-in benign periodic services (label `benign-periodic`). */
export type BenignPeriodicName = 'ntp' | 'antivirus' | 'telemetry';

/** A benign periodic service: genuinely periodic, so finding it is correct. */
export interface BenignPeriodicProfile {
  name: BenignPeriodicName;
  description: string;
  periodSeconds: number;
  /** Symmetric jitter fraction. */
  jitter: number;
  /** Payload bytes: log-normal with this median and log-space sigma. */
  bytes: { median: number; sigma: number };
}

/** Built-in benign periodic services (DESIGN.md section 2). */
export const BENIGN_PERIODIC_PROFILES: Readonly<Record<BenignPeriodicName, BenignPeriodicProfile>> = Object.freeze({
  ntp: { name: 'ntp', description: 'NTP client polling every 64 s, 48-byte packets', periodSeconds: 64, jitter: 0.01, bytes: { median: 48, sigma: 0 } },
  antivirus: {
    name: 'antivirus',
    description: 'Antivirus update check every ~301.6 s',
    periodSeconds: 301.6,
    jitter: 0.02,
    bytes: { median: 1_500, sigma: 0.2 },
  },
  telemetry: {
    name: 'telemetry',
    description: 'Vendor telemetry upload every ~900 s',
    periodSeconds: 900,
    jitter: 0.05,
    bytes: { median: 4_000, sigma: 0.4 },
  },
} satisfies Record<BenignPeriodicName, BenignPeriodicProfile>);

/** Names of the benign processes, in a stable order. */
export const BENIGN_PROCESS_NAMES: readonly BenignProcessName[] = Object.freeze(['poisson', 'browsing', 'bursty-client'] as BenignProcessName[]);

/** Names of the benign periodic services, in a stable order. */
export const BENIGN_PERIODIC_NAMES: readonly BenignPeriodicName[] = Object.freeze(['ntp', 'antivirus', 'telemetry'] as BenignPeriodicName[]);
