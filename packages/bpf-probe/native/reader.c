/*
 * The reader thread: drains the kernel ring buffer into a bounded single-producer /
 * single-consumer queue, sweeps idle flows out of the flow table, and tells JS when a batch
 * is ready. When the queue is full it stops consuming, so the kernel ring buffer fills and the
 * kernel counts the records it had to drop: memory stays flat however slow JS is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "probe.skel.h"

#define POLL_MS 10
#define SWEEP_BATCH 4096

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* realtime - monotonic, taking the tightest of a few samples. */
int64_t wall_offset_ns(void)
{
	int64_t best_gap = INT64_MAX, offset = 0;
	for (int i = 0; i < 5; i++) {
		int64_t m1 = now_ns(CLOCK_MONOTONIC), r = now_ns(CLOCK_REALTIME), m2 = now_ns(CLOCK_MONOTONIC);
		if (m2 - m1 < best_gap) {
			best_gap = m2 - m1;
			offset = r - (m1 + (m2 - m1) / 2);
		}
	}
	return offset;
}

static int queue_full(struct probe *p)
{
	return atomic_load_explicit(&p->tail, memory_order_relaxed) -
		       atomic_load_explicit(&p->head, memory_order_acquire) >=
	       p->cfg.queue_capacity;
}

/* Copies a kernel record into the queue, rewriting monotonic times into wall clock:
 * bytes 0-3 tsSec, 4-7 tsNsec, 8-15 duration in ns (last - first). */
static void push(struct probe *p, const struct beacon_event *e)
{
	uint64_t t = atomic_load_explicit(&p->tail, memory_order_relaxed);
	struct beacon_event *slot = &p->queue[t % p->cfg.queue_capacity];
	*slot = *e;
	int64_t wall = (int64_t)e->ts_ns + p->wall_offset_ns;
	uint32_t *w = (uint32_t *)slot;
	w[0] = (uint32_t)(wall / 1000000000LL);
	w[1] = (uint32_t)(wall % 1000000000LL);
	slot->first_ns = e->ts_ns >= e->first_ns ? e->ts_ns - e->first_ns : 0;
	atomic_store_explicit(&p->tail, t + 1, memory_order_release);
	/* Only this thread writes it: a plain increment, no locked instruction per record. */
	atomic_store_explicit(&p->queued_total,
			      atomic_load_explicit(&p->queued_total, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/*
 * The ring buffer is read directly from its mmap()ed pages (the layout libbpf uses: a
 * consumer page, then the producer page and the data area mapped twice). Unlike
 * ring_buffer__consume(), which publishes the consumer position after every record, this
 * publishes it once per batch, so the producing CPUs do not fetch the consumer's cache line
 * for every record they reserve.
 */
struct rb_reader {
	int map_fd, epoll_fd;
	size_t page, size; /* size: data area bytes (a power of two) */
	unsigned long *consumer_pos;
	const unsigned long *producer_pos;
	const uint8_t *data;
};

static void rb_close(struct rb_reader *r)
{
	if (r->epoll_fd >= 0)
		close(r->epoll_fd);
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->page + 2 * r->size);
	free(r);
}

static struct rb_reader *rb_open(int map_fd, size_t size, int wait, char *err, size_t errlen)
{
	struct rb_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory for the ring-buffer reader");
		return NULL;
	}
	r->map_fd = map_fd;
	r->epoll_fd = -1;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->size = size;
	void *c = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (c == MAP_FAILED) {
		snprintf(err, errlen, "mmap of the ring buffer's consumer page: %s", strerror(errno));
		rb_close(r);
		return NULL;
	}
	r->consumer_pos = c;
	void *d = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page);
	if (d == MAP_FAILED) {
		snprintf(err, errlen, "mmap of the ring buffer's data pages: %s", strerror(errno));
		rb_close(r);
		return NULL;
	}
	r->producer_pos = d;
	r->data = (const uint8_t *)d + r->page;
	if (!wait)
		return r; /* polled, never waited on */
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN};
	if (r->epoll_fd < 0 || epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		snprintf(err, errlen, "epoll on the ring buffer: %s", strerror(errno));
		rb_close(r);
		return NULL;
	}
	return r;
}

/* Waits up to timeout_ms for a kernel wakeup (records may be there without one). */
static void rb_wait(struct rb_reader *r, int timeout_ms)
{
	struct epoll_event ev;
	epoll_wait(r->epoll_fd, &ev, 1, timeout_ms);
}

/* Moves records into the queue until the ring is empty or the queue is full (returns 1 then). */
static int rb_consume(struct probe *p, struct rb_reader *r)
{
	int full = 0, busy = 0;
	unsigned long cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE), published = cons;
	for (;;) {
		unsigned long prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			const uint8_t *hdr = r->data + (cons & (r->size - 1));
			uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
			if (len & BPF_RINGBUF_BUSY_BIT) {
				busy = 1; /* reserved, not yet submitted: stop here for now */
				break;
			}
			uint32_t body = len & ~BPF_RINGBUF_DISCARD_BIT;
			cons += (BPF_RINGBUF_HDR_SZ + body + 7) & ~7UL;
			if ((len & BPF_RINGBUF_DISCARD_BIT) || body < sizeof(struct beacon_event))
				continue;
			push(p, (const struct beacon_event *)(hdr + BPF_RINGBUF_HDR_SZ));
			if (cons - published >= r->size / 4) { /* a long pass frees space as it goes */
				__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
				published = cons;
			}
			if (queue_full(p)) {
				full = 1; /* this record is stored: stop consuming */
				break;
			}
		}
		__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
		if (full || busy)
			break;
	}
	return full;
}

/* Whether the payload ring holds records not yet consumed. */
static int payload_pending(struct probe *p)
{
	struct rb_reader *r = p->prb;
	return r && __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE) >
			    __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
}

/*
 * Copies up to `max` payload records into `out` (fixed slots of sizeof(struct beacon_payload);
 * only the header and the captured bytes are copied) and frees them in the ring. Runs on the
 * JS thread, the ring's only consumer; the reader thread only looks at its positions.
 */
uint32_t payload_drain(struct probe *p, uint8_t *out, uint32_t max)
{
	struct rb_reader *r = p->prb;
	if (!r)
		return 0;
	uint32_t n = 0;
	unsigned long cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
	while (cons < prod && n < max) {
		const uint8_t *hdr = r->data + (cons & (r->size - 1));
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		uint32_t body = len & ~BPF_RINGBUF_DISCARD_BIT;
		cons += (BPF_RINGBUF_HDR_SZ + body + 7) & ~7UL;
		if ((len & BPF_RINGBUF_DISCARD_BIT) || body < sizeof(struct beacon_payload))
			continue;
		const struct beacon_payload *rec = (const void *)(hdr + BPF_RINGBUF_HDR_SZ);
		uint32_t got = rec->len <= BEACON_PAYLOAD_CAP ? rec->len : BEACON_PAYLOAD_CAP;
		memcpy(out + (size_t)n * sizeof(struct beacon_payload), rec,
		       offsetof(struct beacon_payload, data) + got);
		n++;
	}
	__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
	return n;
}

uint32_t queue_drain(struct probe *p, struct beacon_event *out, uint32_t max)
{
	uint64_t h = atomic_load_explicit(&p->head, memory_order_relaxed);
	uint64_t t = atomic_load_explicit(&p->tail, memory_order_acquire);
	uint32_t n = 0, cap = p->cfg.queue_capacity;
	while (h + n < t && n < max) {
		uint64_t i = (h + n) % cap;
		uint32_t run = (uint32_t)(cap - i);
		if (run > t - h - n)
			run = (uint32_t)(t - h - n);
		if (run > max - n)
			run = max - n;
		memcpy(out + n, &p->queue[i], run * sizeof(*out));
		n += run;
	}
	atomic_store(&p->head, h + n); /* seq_cst: ordered before the reader_waiting load */
	if (n && atomic_load(&p->reader_waiting)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return n;
}

/* Evicts flows idle longer than the flow timeout (emitting flow_end) and closed flows whose
 * tail has gone quiet. Keys are collected first: deleting while iterating restarts a hash walk. */
static void sweep(struct probe *p)
{
	int fd = bpf_map__fd(p->skel->maps.flows);
	static __thread struct beacon_flow_key keys[SWEEP_BATCH];
	static __thread char emit_flag[SWEEP_BATCH];
	struct beacon_flow_key k, next;
	struct beacon_flow v;
	int64_t now = now_ns(CLOCK_MONOTONIC);
	int n = 0, more = bpf_map_get_next_key(fd, NULL, &next) == 0;
	while (more && n < SWEEP_BATCH) {
		k = next;
		more = bpf_map_get_next_key(fd, &k, &next) == 0;
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue;
		int64_t idle = now - (int64_t)v.last_ns;
		if (v.closed ? idle >= (int64_t)p->cfg.linger_ns : idle >= (int64_t)p->cfg.flow_timeout_ns) {
			keys[n] = k;
			emit_flag[n] = !v.closed;
			n++;
		}
	}
	for (int i = 0; i < n; i++) {
		if (emit_flag[i] && queue_full(p))
			break; /* retry on the next sweep */
		if (bpf_map_lookup_elem(fd, &keys[i], &v) || bpf_map_delete_elem(fd, &keys[i]))
			continue;
		if (!emit_flag[i] || v.closed)
			continue;
		struct beacon_event e = {0};
		const struct beacon_flow_key *key = &keys[i];
		e.ts_ns = v.last_ns;
		e.first_ns = v.first_ns;
		e.bytes = v.bytes;
		e.packets = v.packets;
		memcpy(e.src, v.init_is_b ? key->b : key->a, 16);
		memcpy(e.dst, v.init_is_b ? key->a : key->b, 16);
		e.sport = v.init_is_b ? key->port_b : key->port_a;
		e.dport = v.init_is_b ? key->port_a : key->port_b;
		e.proto = key->proto;
		e.family = key->family;
		e.kind = BEACON_KIND_END;
		e.dir = v.dir;
		e.tcp_flags = (uint8_t)v.tcp_flags;
		e.origin = 1;
		push(p, &e);
		atomic_fetch_add_explicit(&p->swept, 1, memory_order_relaxed);
	}
}

static void notify(struct probe *p)
{
	if ((atomic_load(&p->tail) != atomic_load(&p->head) || payload_pending(p)) &&
	    atomic_exchange(&p->notified, 1) == 0)
		napi_call_threadsafe_function(p->tsfn, NULL, napi_tsfn_nonblocking);
}

static void *reader_main(void *arg)
{
	struct probe *p = arg;
	pthread_setname_np(pthread_self(), "beacon-reader");
	int64_t next_sweep = now_ns(CLOCK_MONOTONIC) + (int64_t)p->cfg.sweep_interval_ns;
	int stopped_full = 0;
	while (!atomic_load(&p->stopping)) {
		if (queue_full(p)) {
			notify(p);
			atomic_fetch_add(&p->full_waits, 1);
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += POLL_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_mutex_lock(&p->mu);
			atomic_store(&p->reader_waiting, 1);
			if (queue_full(p) && !atomic_load(&p->stopping))
				pthread_cond_timedwait(&p->cv, &p->mu, &until);
			atomic_store(&p->reader_waiting, 0);
			pthread_mutex_unlock(&p->mu);
			continue;
		}
		/*
		 * Wakeups are batched in the kernel: wait for one or the short poll timeout, then
		 * consume anyway (at once when the last pass stopped on a full queue).
		 */
		if (!stopped_full)
			rb_wait(p->rb, POLL_MS);
		stopped_full = rb_consume(p, p->rb);
		if (now_ns(CLOCK_MONOTONIC) >= next_sweep) {
			sweep(p);
			next_sweep = now_ns(CLOCK_MONOTONIC) + (int64_t)p->cfg.sweep_interval_ns;
		}
		notify(p);
	}
	return NULL;
}

int reader_start(struct probe *p, char *err, size_t errlen)
{
	p->queue = calloc(p->cfg.queue_capacity, sizeof(struct beacon_event));
	if (!p->queue) {
		snprintf(err, errlen, "out of memory for the event queue");
		return -1;
	}
	p->rb = rb_open(bpf_map__fd(p->skel->maps.events), bpf_map__max_entries(p->skel->maps.events), 1,
			err, errlen);
	if (!p->rb)
		return -1;
	if (p->cfg.capture_payloads) {
		p->prb = rb_open(bpf_map__fd(p->skel->maps.payloads),
				 bpf_map__max_entries(p->skel->maps.payloads), 0, err, errlen);
		if (!p->prb)
			return -1;
	}
	p->wall_offset_ns = wall_offset_ns();
	if (pthread_create(&p->thread, NULL, reader_main, p)) {
		snprintf(err, errlen, "pthread_create failed");
		return -1;
	}
	p->thread_started = 1;
	return 0;
}

void reader_stop(struct probe *p)
{
	if (p->thread_started) {
		atomic_store(&p->stopping, 1);
		pthread_mutex_lock(&p->mu);
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
		p->thread_started = 0;
	}
	if (p->rb) {
		/* Hand over what the kernel already wrote, as far as the queue has room. */
		if (!queue_full(p))
			rb_consume(p, p->rb);
		rb_close(p->rb);
		p->rb = NULL;
	}
	if (p->prb) {
		rb_close(p->prb);
		p->prb = NULL;
	}
}
