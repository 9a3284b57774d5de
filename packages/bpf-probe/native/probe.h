/* Internal state of one opened probe (shared by attach.c, reader.c and addon.c). */
#ifndef BEACON_NATIVE_PROBE_H
#define BEACON_NATIVE_PROBE_H

#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "../bpf/probe.h"

struct probe_bpf;
struct rb_reader;

struct probe_config {
	char ifname[64];
	char ingress_mode[16]; /* auto | xdp | xdp-native | xdp-generic | tc | none */
	char tc_mode[16];      /* auto | tcx | clsact */
	int egress;            /* attach TC egress */
	uint64_t idle_gap_ns;
	uint64_t flow_timeout_ns;
	uint64_t linger_ns; /* how long a closed TCP flow absorbs its trailing packets */
	uint64_t sweep_interval_ns;
	uint64_t wakeup_bytes;
	uint32_t ring_pages;
	uint32_t payload_ring_pages; /* the payload ring buffer (server names) */
	int capture_payloads;
	uint32_t map_entries;
	uint32_t queue_capacity; /* records */
	int track_tcp, track_udp;
	int fail_tc_ingress; /* tests only: TC ingress attachment fails */
};

struct probe {
	struct probe_config cfg;
	struct probe_bpf *skel;
	int ifindex;
	int xdp_link_fd, ingress_link_fd, egress_link_fd;
	int legacy_ingress, legacy_egress; /* clsact filters we attached */
	uint32_t legacy_handle[2], legacy_prio[2];
	int qdisc_created;
	char mode[64];
	char driver[32]; /* ethtool driver name, "none" when the device reports none (lo) */
	int is_virtual;  /* no bus device: auto prefers TC ingress */
	char log[1024]; /* why each fallback was taken */

	struct rb_reader *rb;
	struct rb_reader *prb; /* payload ring: consumed on the JS thread by drainPayloads */
	pthread_t thread;
	int thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct beacon_event *queue;
	_Atomic uint64_t head, tail; /* single producer (reader), single consumer (JS) */
	atomic_int notified, stopping, reader_waiting;
	_Atomic uint64_t queued_total, swept, full_waits;
	int64_t wall_offset_ns;
	napi_threadsafe_function tsfn;
	int closed;
};

int probe_attach(struct probe *p, char *err, size_t errlen);
void probe_detach(struct probe *p);
int reader_start(struct probe *p, char *err, size_t errlen);
void reader_stop(struct probe *p);
uint32_t queue_drain(struct probe *p, struct beacon_event *out, uint32_t max);
uint32_t payload_drain(struct probe *p, uint8_t *out, uint32_t max);
int64_t wall_offset_ns(void);

#endif
