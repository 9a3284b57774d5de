/* Records and map layouts shared by the kernel program and the Node-API addon. */
#ifndef BEACON_PROBE_H
#define BEACON_PROBE_H

#include <linux/types.h>

#define BEACON_KIND_START 1
#define BEACON_KIND_BURST 2
#define BEACON_KIND_END 3

#define BEACON_DIR_INGRESS 1
#define BEACON_DIR_EGRESS 2

/* Counter slots of struct beacon_counters, the one entry of the per-CPU array "counters". */
enum beacon_counter {
	BEACON_C_PACKETS = 0,    /* every packet any hook saw */
	BEACON_C_RECORDS = 1,    /* ring-buffer records attempted (submitted + dropped) */
	BEACON_C_RB_DROPS = 2,   /* records lost because the ring buffer was full */
	BEACON_C_TABLE_FULL = 3, /* new flows not tracked because the flow table was full */
	BEACON_C_PARSE_ERR = 4,  /* truncated or malformed headers */
	BEACON_C_NON_IP = 5,     /* frames that are not IPv4/IPv6 */
	BEACON_C_NON_TCPUDP = 6, /* IP packets that are neither TCP nor UDP (or later fragments) */
	BEACON_C_FILTERED = 7,   /* TCP/UDP packets skipped by track_tcp/track_udp */
	BEACON_C_PAYLOADS = 8,      /* payload records attempted (first client payloads, DNS responses) */
	BEACON_C_PAYLOAD_DROPS = 9, /* payload records lost: payload ring full or bytes unreadable */
	BEACON_C_MAX = 10,
};

struct beacon_counters {
	__u64 v[BEACON_C_MAX];
};

/* Flow key in canonical order: (a, port_a) <= (b, port_b). IPv4 uses a[0]/b[0] only. */
struct beacon_flow_key {
	__u32 a[4];
	__u32 b[4];
	__u16 port_a; /* host byte order */
	__u16 port_b;
	__u8 proto;
	__u8 family; /* 4 or 6 */
	__u16 pad;
};

struct beacon_flow {
	__u64 first_ns;
	__u64 last_ns;
	__u64 packets;
	__u64 bytes;
	__u32 tcp_flags; /* OR of the flags seen */
	__u32 closed;    /* set once the FIN/RST flow_end was sent */
	__u8 init_is_b;  /* 1 when the initiator is side b of the key */
	__u8 dir;        /* direction of the first packet */
	__u8 pad[2];
	__u32 payload_seen; /* set once the first client payload (TCP) was handed to user space */
};

/* Ring-buffer record, 80 bytes. The reader thread rewrites ts_ns/first_ns into wall-clock
 * seconds/nanoseconds and a duration before JS sees it (see push() in native/reader.c). */
struct beacon_event {
	__u64 ts_ns;    /* bpf_ktime_get_ns of the packet that triggered the record */
	__u64 first_ns; /* first packet of the flow */
	__u64 bytes;    /* payload bytes: this packet (start/burst) or flow total (end) */
	__u64 packets;
	__u32 src[4]; /* initiator, network byte order */
	__u32 dst[4];
	__u16 sport; /* host byte order */
	__u16 dport;
	__u8 proto;
	__u8 family;
	__u8 kind;
	__u8 dir;
	__u8 tcp_flags;
	__u8 origin; /* 0 kernel, 1 userspace idle sweep */
	__u8 pad[6];
};

/* Payload records (second ring buffer "payloads"): the first bytes of the first client payload
 * of each TCP flow (a TLS ClientHello, an HTTP request head) and of every UDP payload sent from
 * port 53 (DNS responses). User space parses them for server names. */
#define BEACON_PAYLOAD_CAP 1024
#define BEACON_PAYLOAD_FIRST 1 /* first client payload of a TCP flow */
#define BEACON_PAYLOAD_DNS 2   /* UDP payload from port 53 */

/* 56-byte header + BEACON_PAYLOAD_CAP bytes. */
struct beacon_payload {
	__u64 ts_ns;
	__u32 src[4]; /* sender of the packet, network byte order */
	__u32 dst[4];
	__u16 sport; /* host byte order */
	__u16 dport;
	__u8 proto;
	__u8 family;
	__u8 kind; /* BEACON_PAYLOAD_* */
	__u8 pad;
	__u32 len;      /* bytes captured in data */
	__u32 orig_len; /* payload bytes of the packet (more than len when cut at the cap) */
	__u8 data[BEACON_PAYLOAD_CAP];
};

#endif
