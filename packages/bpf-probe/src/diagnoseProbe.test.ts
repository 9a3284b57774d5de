import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseProbe } from './diagnoseProbe.js';
import { capabilitiesFrom } from './internal/capabilities.js';
import { liveSkipReason } from './internal/testing/harness.js';
import { createTestNet, type TestNet } from './internal/testing/netns.js';

const status = (capEff: string): string => `Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

describe('capabilitiesFrom', () => {
  it('reads CapEff bits: CAP_BPF 39, CAP_NET_ADMIN 12, CAP_SYS_ADMIN 21, CAP_PERFMON 38', () => {
    expect(capabilitiesFrom(status('0000000000000000'), 1000)).toMatchObject({ root: false, sufficient: false });
    const bpfNet = ((1n << 39n) | (1n << 12n) | (1n << 38n)).toString(16).padStart(16, '0');
    expect(capabilitiesFrom(status(bpfNet), 1000)).toEqual({ root: false, bpf: true, netAdmin: true, sysAdmin: false, perfmon: true, sufficient: true });
    const onlyBpf = (1n << 39n).toString(16).padStart(16, '0');
    expect(capabilitiesFrom(status(onlyBpf), 1000).sufficient).toBe(false);
    const sysNet = ((1n << 21n) | (1n << 12n)).toString(16).padStart(16, '0');
    expect(capabilitiesFrom(status(sysNet), 1000).sufficient).toBe(true);
    expect(capabilitiesFrom('', 0)).toMatchObject({ root: true, sufficient: true });
  });
});

describe('diagnoseProbe', () => {
  it('names a missing interface and what exists instead', async () => {
    const d = await diagnoseProbe({ interface: 'nosuch-if0', attach: false });
    expect(d.ok).toBe(false);
    const iface = d.checks.find((c) => c.id === 'interface');
    expect(iface).toMatchObject({ status: 'missing', detail: 'no interface named nosuch-if0' });
    expect(iface?.fix).toContain('lo');
    expect(d.checks.map((c) => c.id)).toEqual(['kernel', 'btf', 'privileges', 'libbpf', 'addon', 'interface', 'attach']);
    expect(d.checks.find((c) => c.id === 'kernel')?.status).toBe('ok');
  });

  const skip = liveSkipReason();
  describe.skipIf(skip !== undefined)('on a veth the test made (root)', () => {
    let net: TestNet | undefined;
    afterAll(() => net?.destroy());
    it('passes every check and really attaches, then detaches', async () => {
      net = createTestNet();
      const d = await diagnoseProbe({ interface: net.host });
      expect(d.checks.filter((c) => c.status !== 'ok')).toEqual([]);
      expect(d.ok).toBe(true);
      expect(d.checks.find((c) => c.id === 'attach')?.detail).toMatch(new RegExp(`attached to ${net.host} \\(tc`));
    });
  });
  if (skip) it.skip(`live diagnosis: ${skip}`, () => {});
});
