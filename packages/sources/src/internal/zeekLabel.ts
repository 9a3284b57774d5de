import type { LabelVerdict, ZeekLabel } from '../readZeekConnLog.js';

/**
 * Ground-truth class of a Stratosphere-style label. Labels come bare (`Malicious`, `Benign`,
 * `Background`) or prefixed and suffixed (`flow=From-Botnet-V42-TCP-CC`, `From-Normal-...`).
 */
export function verdictOf(label: string): LabelVerdict {
  const l = label.toLowerCase();
  if (l.includes('malicious') || l.includes('botnet') || l.includes('c&c') || l.includes('attack')) return 'malicious';
  if (l.includes('benign') || l.includes('normal')) return 'benign';
  if (l.includes('background')) return 'background';
  return 'unknown';
}

/** Builds the label record handed to `onLabel`. */
export function labelOf(label: string | undefined, detailed: string | undefined): ZeekLabel {
  const text = label ?? '';
  return { label: text, detailedLabel: detailed === '' ? undefined : detailed, verdict: verdictOf(text) };
}
