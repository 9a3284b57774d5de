/**
 * What a beacon is in MITRE ATT&CK terms: tactic Command and Control (TA0011), technique
 * Application Layer Protocol (T1071) for TCP/UDP to a service port, the technique most C2
 * beacons use; the formats that carry threat information (ECS `threat.*`, OCSF `attacks`) use it.
 */
interface AttackRef {
  id: string;
  name: string;
  reference: string;
}

export const ATTACK: Readonly<{ version: string; tactic: AttackRef; technique: AttackRef }> = Object.freeze({
  version: '15.1',
  tactic: { id: 'TA0011', name: 'Command and Control', reference: 'https://attack.mitre.org/tactics/TA0011/' },
  technique: { id: 'T1071', name: 'Application Layer Protocol', reference: 'https://attack.mitre.org/techniques/T1071/' },
});

/** The rule every Beacon alert comes from. */
export const RULE: Readonly<{ id: string; name: string; description: string; category: string; ruleset: string }> = Object.freeze({
  id: 'beacon-periodicity',
  name: 'Beaconing Detected',
  description: 'Connections between a pair of hosts recur on a regular schedule (command-and-control beaconing)',
  category: 'Command and Control',
  ruleset: 'beacon',
});
