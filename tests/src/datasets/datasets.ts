import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';

/** The shared datasets folder (`../shared/datasets` beside the repository). */
export const datasetsDir: string = join(repoRoot, '..', 'shared', 'datasets');

/** Paths of the three real captures the dataset tests use. */
export const datasets = {
  njrat: join(datasetsDir, 'stratosphere-001-njrat', 'labeled-conn.log'),
  testCc: join(datasetsDir, 'linuxips-test-cc', 'test-cc-capture-1.pcap'),
  benignDay: join(datasetsDir, 'stratosphere-008-benign-day', 'conn.log.labeled'),
} as const;

/** Why the dataset tests are skipped, or undefined when every dataset is present. */
export const missingDatasets: string | undefined = Object.values(datasets).every((f) => existsSync(f))
  ? undefined
  : `datasets not found under ${datasetsDir} (see its README); skipping the real-capture tests`;

if (missingDatasets) console.warn(missingDatasets);

/** One item of `beacon analyze --json`, as the tests read it. */
export interface AnalyzeItem {
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  protocol: string;
  score: number;
  severity: string;
  is_beacon: boolean;
  direction: string;
  kind: string;
  reason: string | null;
  benign_label: string | null;
  connection_count: number;
  interval: number | null;
  cv_score: number;
  periodicity_score: number;
  jitter_score: number;
  size_score: number;
  first_seen: string;
  last_seen: string;
}

/** Finds a pair in an analyze JSON array. */
export function findPair(items: readonly AnalyzeItem[], src: string, dst: string, port: number): AnalyzeItem | undefined {
  return items.find((i) => i.src_ip === src && i.dst_ip === dst && i.dst_port === port);
}
