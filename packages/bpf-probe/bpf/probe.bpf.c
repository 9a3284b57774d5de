// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * Beacon probe: per-flow aggregation at XDP / TC. Every hook passes every packet; records
 * go to the ring buffer only for a new flow, the first packet after an idle gap (a burst)
 * and a flow's end (first FIN/RST; idle eviction is done by the userspace sweep).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "probe.h"

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

/* Set by the loader before the object is loaded (the verifier prunes on them). */
const volatile __u64 cfg_idle_gap_ns = 1000000000ULL;
const volatile __u64 cfg_wakeup_bytes = 256 * 1024;
const volatile __u8 cfg_track_tcp = 1;
const volatile __u8 cfg_track_udp = 1;
/* Hand user space first client payloads and DNS responses (server names). */
const volatile __u8 cfg_capture_payloads = 1;
/* bpf_xdp_load_bytes exists (Linux >= 5.18): the loader clears this on older kernels, and the
 * verifier then never walks the call (names are read at the TC hooks only there). */
const volatile __u8 cfg_xdp_capture = 1;

#define DNS_PORT 53

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 4096);
} events SEC(".maps");

/* Payload records (struct beacon_payload): rare (one per TCP flow, one per DNS response), so
 * they never wake the reader; it polls this ring on its 10 ms tick. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 4096);
} payloads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct beacon_flow_key);
	__type(value, struct beacon_flow);
} flows SEC(".maps");

/* One entry holding every counter: a single (inlined) lookup per packet. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct beacon_counters);
} counters SEC(".maps");

/*
 * With an idle gap of at least this much, the per-packet idle check uses the coarse monotonic
 * clock (one tick: 4 ms at HZ=250) instead of reading the TSC; records always carry
 * bpf_ktime_get_ns. Shorter gaps (down to 0) use the precise clock throughout.
 */
#define COARSE_MIN_GAP_NS 100000000ULL

static __always_inline __u64 hot_now(void)
{
	if (cfg_idle_gap_ns >= COARSE_MIN_GAP_NS)
		return bpf_ktime_get_coarse_ns();
	return bpf_ktime_get_ns();
}

/* The time a record carries: the hot-path time when that is already precise (one read). */
static __always_inline __u64 record_now(__u64 hot)
{
	if (cfg_idle_gap_ns >= COARSE_MIN_GAP_NS)
		return bpf_ktime_get_ns();
	return hot;
}

/* 16 records, each with its 8-byte ring-buffer header. */
#define WAKEUP_WINDOW (16 * (sizeof(struct beacon_event) + 8))

#define count(c, slot) ((c)->v[slot]++) /* per-CPU: no atomic needed */

struct pkt {
	struct beacon_flow_key key;
	__u64 payload;
	__u32 l4_off; /* offset of the L4 payload in the frame */
	__u32 segs;
	__u8 swapped; /* 1 when the sender is side b of the canonical key */
	__u8 flags;
	__u8 dir;
};

static __always_inline void emit(struct beacon_counters *c, struct pkt *p, struct beacon_flow *f,
				 __u8 kind, __u64 now)
{
	count(c, BEACON_C_RECORDS); /* attempted: records read + ring-buffer drops = records sent */
	struct beacon_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(c, BEACON_C_RB_DROPS);
		return;
	}
	/* Read after the reservation, so it includes this record. */
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	e->ts_ns = now;
	e->first_ns = f->first_ns;
	if (kind == BEACON_KIND_END) {
		e->bytes = f->bytes;
		e->packets = f->packets;
		e->tcp_flags = (__u8)f->tcp_flags;
		e->dir = f->dir;
	} else {
		e->bytes = p->payload;
		e->packets = 1;
		e->tcp_flags = p->flags;
		e->dir = p->dir;
	}
	if (f->init_is_b) {
		__builtin_memcpy(e->src, p->key.b, 16);
		__builtin_memcpy(e->dst, p->key.a, 16);
		e->sport = p->key.port_b;
		e->dport = p->key.port_a;
	} else {
		__builtin_memcpy(e->src, p->key.a, 16);
		__builtin_memcpy(e->dst, p->key.b, 16);
		e->sport = p->key.port_a;
		e->dport = p->key.port_b;
	}
	e->proto = p->key.proto;
	e->family = p->key.family;
	e->kind = kind;
	e->origin = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	/*
	 * Batch wakeups: the reader polls on a short timeout, so only wake it when the backlog
	 * crosses cfg_wakeup_bytes. Only records in a narrow window above the threshold wake it
	 * (the window absorbs other CPUs' records reserved meanwhile), not every record while
	 * the backlog stays above: each forced wakeup costs an irq_work (a self-IPI).
	 */
	__u64 flags = BPF_RB_NO_WAKEUP;
	if (avail >= cfg_wakeup_bytes && avail < cfg_wakeup_bytes + WAKEUP_WINDOW)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

/*
 * Copies the first BEACON_PAYLOAD_CAP bytes of this packet's L4 payload into a payload record.
 * Called once per TCP flow (its first client payload) and for DNS responses only.
 */
static __always_inline void capture(struct beacon_counters *c, struct pkt *p, void *ctx, const int xdp,
				    __u8 kind, __u64 now)
{
	__u64 want = p->payload;
	__u64 n = want > BEACON_PAYLOAD_CAP ? BEACON_PAYLOAD_CAP : want;
	if (n == 0 || (xdp && !cfg_xdp_capture))
		return;
	count(c, BEACON_C_PAYLOADS);
	struct beacon_payload *r = bpf_ringbuf_reserve(&payloads, sizeof(*r), 0);
	if (!r) {
		count(c, BEACON_C_PAYLOAD_DROPS);
		return;
	}
	long err;
	/* Re-check in a register right before the helpers: the verifier needs n in [1, cap]. */
	asm volatile("" : "+r"(n));
	if (n < 1 || n > BEACON_PAYLOAD_CAP)
		n = BEACON_PAYLOAD_CAP;
	if (xdp)
		err = bpf_xdp_load_bytes(ctx, p->l4_off, r->data, n);
	else
		err = bpf_skb_load_bytes(ctx, p->l4_off, r->data, n);
	if (err) { /* the IP length claimed more than the frame holds */
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		count(c, BEACON_C_PAYLOAD_DROPS);
		return;
	}
	r->ts_ns = now;
	if (p->swapped) {
		__builtin_memcpy(r->src, p->key.b, 16);
		__builtin_memcpy(r->dst, p->key.a, 16);
		r->sport = p->key.port_b;
		r->dport = p->key.port_a;
	} else {
		__builtin_memcpy(r->src, p->key.a, 16);
		__builtin_memcpy(r->dst, p->key.b, 16);
		r->sport = p->key.port_a;
		r->dport = p->key.port_b;
	}
	r->proto = p->key.proto;
	r->family = p->key.family;
	r->kind = kind;
	r->pad = 0;
	r->len = n;
	r->orig_len = want > 0xffffffffULL ? 0xffffffffU : (__u32)want;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

/* A UDP payload sent from port 53: a DNS response (user space checks). */
static __always_inline int dns_response(struct pkt *p)
{
	return p->key.proto == IPPROTO_UDP && (p->swapped ? p->key.port_b : p->key.port_a) == DNS_PORT;
}

static __always_inline void start_flow(struct beacon_counters *c, struct pkt *p, void *ctx, const int xdp)
{
	__u64 now = bpf_ktime_get_ns();
	struct beacon_flow f = {};
	f.first_ns = now;
	f.last_ns = now;
	f.packets = p->segs;
	f.bytes = p->payload;
	f.tcp_flags = p->flags;
	f.dir = p->dir;
	/* The sender of the first packet initiates, except that the sender of a SYN+ACK answers. */
	f.init_is_b = p->swapped;
	if ((p->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
		f.init_is_b = !p->swapped;
	if (p->key.proto == IPPROTO_TCP && (p->flags & (TCP_FIN | TCP_RST)))
		f.closed = 1;
	/* A flow first seen on a data packet (mid-flow, TCP Fast Open): its payload is the first. */
	int first = cfg_capture_payloads && p->payload && p->key.proto == IPPROTO_TCP &&
		    f.init_is_b == p->swapped;
	if (first)
		f.payload_seen = 1;
	if (bpf_map_update_elem(&flows, &p->key, &f, BPF_ANY)) {
		count(c, BEACON_C_TABLE_FULL);
		return;
	}
	emit(c, p, &f, BEACON_KIND_START, now);
	if (first)
		capture(c, p, ctx, xdp, BEACON_PAYLOAD_FIRST, now);
	else if (cfg_capture_payloads && p->payload && dns_response(p))
		capture(c, p, ctx, xdp, BEACON_PAYLOAD_DNS, now);
	if (f.closed)
		emit(c, p, &f, BEACON_KIND_END, now);
}

/* An existing flow is updated in place through the looked-up pointer (no map update). */
static __always_inline void track(struct beacon_counters *c, struct pkt *p, void *ctx, const int xdp)
{
	struct beacon_flow *f = bpf_map_lookup_elem(&flows, &p->key);
	if (!f) {
		start_flow(c, p, ctx, xdp);
		return;
	}
	__u64 now = hot_now();
	__u64 last = f->last_ns;
	if (f->closed) {
		/* A new SYN reuses the 5-tuple; anything else is the tail of the closed flow. */
		if ((p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
			start_flow(c, p, ctx, xdp);
		else if (now > last)
			f->last_ns = now;
		return;
	}
	__sync_fetch_and_add(&f->packets, p->segs);
	__sync_fetch_and_add(&f->bytes, p->payload);
	/* Most TCP packets repeat flags already seen (ACK): skip the locked OR then. */
	if (p->flags && (f->tcp_flags & p->flags) != p->flags)
		__sync_fetch_and_or(&f->tcp_flags, (__u32)p->flags);
	if (cfg_capture_payloads && p->payload) {
		if (p->key.proto == IPPROTO_TCP) {
			/* The initiator's first data: checked on the flow's cache line, taken once. */
			if (!f->payload_seen && f->init_is_b == p->swapped &&
			    __sync_val_compare_and_swap(&f->payload_seen, 0, 1) == 0)
				capture(c, p, ctx, xdp, BEACON_PAYLOAD_FIRST, record_now(now));
		} else if (dns_response(p)) {
			capture(c, p, ctx, xdp, BEACON_PAYLOAD_DNS, record_now(now));
		}
	}
	if (now > last && now - last >= cfg_idle_gap_ns) {
		/* Only one CPU wins the burst for a given idle period. */
		if (__sync_val_compare_and_swap(&f->last_ns, last, now) == last)
			emit(c, p, f, BEACON_KIND_BURST, record_now(now));
	} else if (now > last) {
		f->last_ns = now;
	}
	if (p->key.proto == IPPROTO_TCP && (p->flags & (TCP_FIN | TCP_RST))) {
		if (__sync_val_compare_and_swap(&f->closed, 0, 1) == 0) {
			__u64 t = record_now(now);
			f->last_ns = t;
			emit(c, p, f, BEACON_KIND_END, t);
		}
	}
}

static __always_inline int addr_less(const __u32 *x, const __u32 *y)
{
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u32 a = bpf_ntohl(x[i]), b = bpf_ntohl(y[i]);
		if (a != b)
			return a < b ? 1 : 0;
	}
	return -1; /* equal */
}

/* Fills p->key in canonical order from sender (s, sp) and receiver (d, dp). */
static __always_inline void set_key(struct pkt *p, const __u32 *s, const __u32 *d, __u16 sp,
				    __u16 dp)
{
	int lt = addr_less(s, d);
	int swap = lt == 0 || (lt < 0 && sp > dp);
	if (swap) {
		__builtin_memcpy(p->key.a, d, 16);
		__builtin_memcpy(p->key.b, s, 16);
		p->key.port_a = dp;
		p->key.port_b = sp;
	} else {
		__builtin_memcpy(p->key.a, s, 16);
		__builtin_memcpy(p->key.b, d, 16);
		p->key.port_a = sp;
		p->key.port_b = dp;
	}
	p->swapped = swap;
}

static __always_inline int is_v6_ext(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 44 || nh == 135 || nh == 139 ||
	       nh == 140;
}

/*
 * Parses one frame. pkt_len is the frame length (skb->len at TC); egress marks TC egress,
 * where skb->len may be a GSO super-packet and the IP length field describes one segment.
 */
static __always_inline void handle(void *ctx, const int xdp, void *data, void *data_end, __u64 pkt_len,
				   __u32 segs, __u8 dir, int egress)
{
	__u32 zero = 0;
	struct beacon_counters *c = bpf_map_lookup_elem(&counters, &zero);
	if (!c)
		return; /* never: a per-CPU array always has entry 0 */
	struct pkt p;
	__builtin_memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.segs = segs ? segs : 1;
	count(c, BEACON_C_PACKETS);

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end) {
		count(c, BEACON_C_PARSE_ERR);
		return;
	}
	void *cur = eth + 1;
	__u16 proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if (cur + 4 > data_end) {
			count(c, BEACON_C_PARSE_ERR);
			return;
		}
		proto = *(__u16 *)(cur + 2);
		cur += 4;
	}

	__u64 ip_end = 0; /* offset of the end of the IP packet, from the IP length field */
	__u8 l4;
	__u32 zero6[4] = {};
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = cur;
		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5) {
			count(c, BEACON_C_PARSE_ERR);
			return;
		}
		if (ip->frag_off & bpf_htons(0x1fff)) { /* later fragment: no L4 header */
			count(c, BEACON_C_NON_TCPUDP);
			return;
		}
		ip_end = (cur - data) + bpf_ntohs(ip->tot_len);
		l4 = ip->protocol;
		__u32 s[4] = {ip->saddr, 0, 0, 0};
		__u32 d[4] = {ip->daddr, 0, 0, 0};
		cur += ip->ihl * 4;
		p.key.family = 4;
		__builtin_memcpy(zero6, s, 16);
		__builtin_memcpy(p.key.a, d, 16); /* scratch: receiver */
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = cur;
		if ((void *)(ip6 + 1) > data_end || ip6->version != 6) {
			count(c, BEACON_C_PARSE_ERR);
			return;
		}
		ip_end = (cur - data) + sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
		if (ip6->payload_len == 0)
			ip_end = 0; /* jumbogram / BIG TCP: use the frame length */
		l4 = ip6->nexthdr;
		__builtin_memcpy(zero6, &ip6->saddr, 16);
		__builtin_memcpy(p.key.a, &ip6->daddr, 16);
		cur = ip6 + 1;
#pragma unroll
		for (int i = 0; i < 6; i++) {
			if (!is_v6_ext(l4))
				break;
			__u8 *h = cur;
			if ((void *)(h + 8) > data_end) {
				count(c, BEACON_C_PARSE_ERR);
				return;
			}
			if (l4 == 44) { /* fragment header: only the first fragment carries L4 */
				if ((*(__u16 *)(h + 2)) & bpf_htons(0xfff8)) {
					count(c, BEACON_C_NON_TCPUDP);
					return;
				}
				l4 = h[0];
				cur += 8;
			} else if (l4 == 51) { /* AH: length in 4-octet units, minus 2 */
				l4 = h[0];
				cur += ((__u32)h[1] + 2) * 4;
			} else {
				l4 = h[0];
				cur += ((__u32)h[1] + 1) * 8;
			}
		}
		p.key.family = 6;
	} else {
		count(c, BEACON_C_NON_IP);
		return;
	}

	__u16 sp, dp;
	if (l4 == IPPROTO_TCP) {
		if (!cfg_track_tcp) {
			count(c, BEACON_C_FILTERED);
			return;
		}
		struct tcphdr *th = cur;
		if ((void *)(th + 1) > data_end || th->doff < 5) {
			count(c, BEACON_C_PARSE_ERR);
			return;
		}
		sp = bpf_ntohs(th->source);
		dp = bpf_ntohs(th->dest);
		p.flags = ((__u8 *)th)[13];
		cur += th->doff * 4;
	} else if (l4 == IPPROTO_UDP) {
		if (!cfg_track_udp) {
			count(c, BEACON_C_FILTERED);
			return;
		}
		struct udphdr *uh = cur;
		if ((void *)(uh + 1) > data_end) {
			count(c, BEACON_C_PARSE_ERR);
			return;
		}
		sp = bpf_ntohs(uh->source);
		dp = bpf_ntohs(uh->dest);
		cur += sizeof(*uh);
	} else {
		count(c, BEACON_C_NON_TCPUDP);
		return;
	}
	p.key.proto = l4;

	__u64 l4_off = cur - data;
	__u64 end = (!egress && ip_end) ? ip_end : pkt_len;
	if (end < l4_off || (ip_end && ip_end < l4_off)) {
		count(c, BEACON_C_PARSE_ERR); /* length fields shorter than the headers */
		return;
	}
	p.payload = end - l4_off;
	p.l4_off = (__u32)l4_off;

	__u32 recv[4];
	__builtin_memcpy(recv, p.key.a, 16);
	set_key(&p, zero6, recv, sp, dp);
	track(c, &p, ctx, xdp);
}

SEC("xdp")
int beacon_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	handle(ctx, 1, data, data_end, data_end - data, 1, BEACON_DIR_INGRESS, 0);
	return XDP_PASS;
}

SEC("tc")
int beacon_tc_ingress(struct __sk_buff *skb)
{
	handle(skb, 0, (void *)(long)skb->data, (void *)(long)skb->data_end, skb->len, skb->gso_segs,
	       BEACON_DIR_INGRESS, 0);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int beacon_tc_egress(struct __sk_buff *skb)
{
	handle(skb, 0, (void *)(long)skb->data, (void *)(long)skb->data_end, skb->len, skb->gso_segs,
	       BEACON_DIR_EGRESS, 1);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
