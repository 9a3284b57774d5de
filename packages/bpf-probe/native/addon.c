/* Node-API surface of the probe: open, drain, counters, info, close, testRun. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "probe.skel.h"

#define CHECK(call)                                                                                \
	do {                                                                                       \
		if ((call) != napi_ok) {                                                           \
			napi_throw_error(env, "internal", "Node-API call failed: " #call);          \
			return NULL;                                                               \
		}                                                                                  \
	} while (0)

static char libbpf_last[512];

static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, ap);
	return 0;
}

static int64_t get_num(napi_env env, napi_value obj, const char *key, int64_t dflt)
{
	napi_value v;
	napi_valuetype t;
	double d;
	if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok ||
	    t != napi_number || napi_get_value_double(env, v, &d) != napi_ok)
		return dflt;
	return (int64_t)d;
}

static void get_str(napi_env env, napi_value obj, const char *key, char *out, size_t len, const char *dflt)
{
	napi_value v;
	napi_valuetype t;
	size_t n;
	if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok ||
	    t != napi_string || napi_get_value_string_utf8(env, v, out, len, &n) != napi_ok)
		snprintf(out, len, "%s", dflt);
}

/* Whether the running kernel is at least major.minor (uname release). */
static __u8 kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;
	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

static struct probe *unwrap(napi_env env, napi_value v)
{
	void *p = NULL;
	if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
		napi_throw_type_error(env, "internal", "not a probe handle");
		return NULL;
	}
	return p;
}

static void call_js(napi_env env, napi_value cb, void *ctx, void *data)
{
	(void)data;
	struct probe *p = ctx;
	if (!env || p->closed)
		return;
	atomic_store(&p->notified, 0);
	napi_value undef;
	napi_get_undefined(env, &undef);
	napi_call_function(env, undef, cb, 0, NULL, NULL);
}

static void do_close(struct probe *p)
{
	if (p->closed)
		return;
	p->closed = 1;
	reader_stop(p);
	if (p->tsfn) {
		napi_release_threadsafe_function(p->tsfn, napi_tsfn_abort);
		p->tsfn = NULL;
	}
	probe_detach(p);
	if (p->skel) {
		probe_bpf__destroy(p->skel);
		p->skel = NULL;
	}
}

static void finalize(napi_env env, void *data, void *hint)
{
	(void)env;
	(void)hint;
	struct probe *p = data;
	do_close(p);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->queue);
	free(p);
}

static napi_value fail(napi_env env, struct probe *p, const char *code, const char *msg)
{
	do_close(p);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->queue);
	free(p);
	napi_throw_error(env, code, msg);
	return NULL;
}

/* open(config, onReady) -> handle */
static napi_value js_open(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], handle;
	char msg[1600];
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = calloc(1, sizeof(*p));
	if (!p) {
		napi_throw_error(env, "internal", "out of memory");
		return NULL;
	}
	p->xdp_link_fd = p->ingress_link_fd = p->egress_link_fd = -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	struct probe_config *c = &p->cfg;
	get_str(env, argv[0], "ifname", c->ifname, sizeof(c->ifname), "");
	get_str(env, argv[0], "ingress", c->ingress_mode, sizeof(c->ingress_mode), "auto");
	get_str(env, argv[0], "tc", c->tc_mode, sizeof(c->tc_mode), "auto");
	c->egress = (int)get_num(env, argv[0], "egress", 1);
	c->idle_gap_ns = (uint64_t)get_num(env, argv[0], "idleGapNs", 1000000000LL);
	c->flow_timeout_ns = (uint64_t)get_num(env, argv[0], "flowTimeoutNs", 120000000000LL);
	c->linger_ns = (uint64_t)get_num(env, argv[0], "lingerNs", 1000000000LL);
	c->sweep_interval_ns = (uint64_t)get_num(env, argv[0], "sweepIntervalNs", 1000000000LL);
	c->wakeup_bytes = (uint64_t)get_num(env, argv[0], "wakeupBytes", 256 * 1024);
	c->ring_pages = (uint32_t)get_num(env, argv[0], "ringPages", 64);
	c->payload_ring_pages = (uint32_t)get_num(env, argv[0], "payloadRingPages", 256);
	c->capture_payloads = (int)get_num(env, argv[0], "capturePayloads", 1);
	c->map_entries = (uint32_t)get_num(env, argv[0], "mapEntries", 65536);
	c->queue_capacity = (uint32_t)get_num(env, argv[0], "queueCapacity", 65536);
	c->track_tcp = (int)get_num(env, argv[0], "trackTcp", 1);
	c->track_udp = (int)get_num(env, argv[0], "trackUdp", 1);
	c->fail_tc_ingress = (int)get_num(env, argv[0], "failTcIngress", 0);

	p->ifindex = (int)if_nametoindex(c->ifname);
	if (!p->ifindex) {
		snprintf(msg, sizeof(msg), "no network interface named '%s'", c->ifname);
		return fail(env, p, "interface_not_found", msg);
	}
	libbpf_set_print(on_libbpf_print);
	libbpf_last[0] = 0;
	p->skel = probe_bpf__open();
	if (!p->skel) {
		snprintf(msg, sizeof(msg), "could not open the BPF object: %s", strerror(errno));
		return fail(env, p, "load_failed", msg);
	}
	p->skel->rodata->cfg_idle_gap_ns = c->idle_gap_ns;
	/* Past half the ring the kernel would drop before it woke anyone: cap the threshold. */
	uint64_t half_ring = (uint64_t)c->ring_pages * 4096u / 2;
	p->skel->rodata->cfg_wakeup_bytes = c->wakeup_bytes < half_ring ? c->wakeup_bytes : half_ring;
	p->skel->rodata->cfg_track_tcp = (__u8)c->track_tcp;
	p->skel->rodata->cfg_track_udp = (__u8)c->track_udp;
	p->skel->rodata->cfg_capture_payloads = (__u8)(c->capture_payloads != 0);
	/* xdpCapture: tests only (0 acts as a kernel without bpf_xdp_load_bytes); default by version. */
	int64_t xdp_capture = get_num(env, argv[0], "xdpCapture", -1);
	p->skel->rodata->cfg_xdp_capture = xdp_capture < 0 ? kernel_at_least(5, 18) : (__u8)(xdp_capture != 0);
	bpf_map__set_max_entries(p->skel->maps.events, c->ring_pages * 4096u);
	bpf_map__set_max_entries(p->skel->maps.payloads, (c->capture_payloads ? c->payload_ring_pages : 1) * 4096u);
	bpf_map__set_max_entries(p->skel->maps.flows, c->map_entries);
	int err = probe_bpf__load(p->skel);
	if (err) {
		int e = errno ? errno : -err;
		snprintf(msg, sizeof(msg), "loading the BPF programs failed: %s%s%s", strerror(e),
			 libbpf_last[0] ? " - " : "", libbpf_last);
		return fail(env, p, e == EPERM || e == EACCES ? "permission_denied" : "load_failed", msg);
	}
	napi_value name;
	CHECK(napi_create_string_utf8(env, "beacon-probe", NAPI_AUTO_LENGTH, &name));
	if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, p, call_js,
					    &p->tsfn) != napi_ok)
		return fail(env, p, "internal", "napi_create_threadsafe_function failed");
	if (probe_attach(p, msg, sizeof(msg)))
		return fail(env, p, "attach_failed", msg);
	if (reader_start(p, msg, sizeof(msg)))
		return fail(env, p, "internal", msg);
	CHECK(napi_create_external(env, p, finalize, NULL, &handle));
	return handle;
}

/* drain(handle, maxRecords) -> Buffer | null */
static napi_value js_drain(napi_env env, napi_callback_info info)
{
	size_t argc = 2;
	napi_value argv[2], out;
	uint32_t max;
	void *data;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	CHECK(napi_get_value_uint32(env, argv[1], &max));
	uint64_t avail = atomic_load(&p->tail) - atomic_load(&p->head);
	if (!p->queue || !avail) {
		napi_get_null(env, &out);
		return out;
	}
	if (avail < max)
		max = (uint32_t)avail;
	CHECK(napi_create_buffer(env, (size_t)max * sizeof(struct beacon_event), &data, &out));
	queue_drain(p, data, max);
	return out;
}

/*
 * drainInto(handle, buffer) -> records copied into the caller's (reused) buffer. No allocation
 * per batch: the JS side decodes the records before its next drain.
 */
static napi_value js_drain_into(napi_env env, napi_callback_info info)
{
	size_t argc = 2, len;
	napi_value argv[2], out;
	void *data;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	CHECK(napi_get_buffer_info(env, argv[1], &data, &len));
	uint32_t n = 0, max = (uint32_t)(len / sizeof(struct beacon_event));
	if (p->queue && max)
		n = queue_drain(p, data, max);
	CHECK(napi_create_uint32(env, n, &out));
	return out;
}

/*
 * drainPayloads(handle, buffer) -> payload records copied into the caller's buffer, in slots of
 * sizeof(struct beacon_payload) (header, then the captured bytes). Consumes the payload ring.
 */
static napi_value js_drain_payloads(napi_env env, napi_callback_info info)
{
	size_t argc = 2, len;
	napi_value argv[2], out;
	void *data;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	CHECK(napi_get_buffer_info(env, argv[1], &data, &len));
	uint32_t n = 0, max = (uint32_t)(len / sizeof(struct beacon_payload));
	if (!p->closed && max)
		n = payload_drain(p, data, max);
	CHECK(napi_create_uint32(env, n, &out));
	return out;
}

static void set_num(napi_env env, napi_value obj, const char *key, double v)
{
	napi_value n;
	napi_create_double(env, v, &n);
	napi_set_named_property(env, obj, key, n);
}

/* counters(handle) -> { kernel slots summed over CPUs, queue figures } */
static napi_value js_counters(napi_env env, napi_callback_info info)
{
	static const char *names[BEACON_C_MAX] = {"packetsSeen", "recordsSent", "ringbufDrops", "flowTableFull",
						  "parseErrors", "nonIp", "nonTcpUdp", "filtered",
						  "payloadRecords", "payloadDrops"};
	size_t argc = 1;
	napi_value argv[1], obj;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	CHECK(napi_create_object(env, &obj));
	int ncpu = libbpf_num_possible_cpus();
	struct beacon_counters *vals = calloc(ncpu > 0 ? ncpu : 1, sizeof(*vals));
	uint32_t zero = 0;
	int ok = !p->closed && vals && ncpu > 0 &&
		 !bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.counters), &zero, vals);
	for (uint32_t k = 0; k < BEACON_C_MAX; k++) {
		double sum = 0;
		if (ok)
			for (int c = 0; c < ncpu; c++)
				sum += (double)vals[c].v[k];
		set_num(env, obj, names[k], sum);
	}
	free(vals);
	set_num(env, obj, "recordsQueued", (double)atomic_load(&p->queued_total));
	set_num(env, obj, "queueDepth", (double)(atomic_load(&p->tail) - atomic_load(&p->head)));
	set_num(env, obj, "idleEvictions", (double)atomic_load(&p->swept));
	set_num(env, obj, "queueFullWaits", (double)atomic_load(&p->full_waits));
	return obj;
}

/* info(handle) -> { mode, fallbacks, ifindex, driver, virtual } */
static napi_value js_info(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1], obj, s;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	CHECK(napi_create_object(env, &obj));
	CHECK(napi_create_string_utf8(env, p->mode, NAPI_AUTO_LENGTH, &s));
	CHECK(napi_set_named_property(env, obj, "mode", s));
	CHECK(napi_create_string_utf8(env, p->log, NAPI_AUTO_LENGTH, &s));
	CHECK(napi_set_named_property(env, obj, "fallbacks", s));
	set_num(env, obj, "ifindex", p->ifindex);
	CHECK(napi_create_string_utf8(env, p->driver, NAPI_AUTO_LENGTH, &s));
	CHECK(napi_set_named_property(env, obj, "driver", s));
	set_num(env, obj, "virtual", p->is_virtual);
	return obj;
}

static napi_value js_close(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value argv[1];
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	do_close(p);
	return NULL;
}

struct test_run {
	napi_async_work work;
	napi_deferred deferred;
	int prog_fd;
	void *data;
	uint32_t size, repeat;
	int err;
	uint32_t retval, duration;
};

static void test_run_exec(napi_env env, void *arg)
{
	(void)env;
	struct test_run *t = arg;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = t->data, .data_size_in = t->size, .repeat = t->repeat);
	t->err = bpf_prog_test_run_opts(t->prog_fd, &opts) ? errno : 0;
	t->retval = opts.retval;
	t->duration = opts.duration;
}

static void test_run_done(napi_env env, napi_status status, void *arg)
{
	(void)status;
	struct test_run *t = arg;
	napi_value obj, msg;
	if (t->err) {
		napi_create_string_utf8(env, strerror(t->err), NAPI_AUTO_LENGTH, &msg);
		napi_create_error(env, NULL, msg, &obj);
		napi_reject_deferred(env, t->deferred, obj);
	} else {
		napi_create_object(env, &obj);
		set_num(env, obj, "retval", t->retval);
		set_num(env, obj, "durationNs", t->duration);
		napi_resolve_deferred(env, t->deferred, obj);
	}
	napi_delete_async_work(env, t->work);
	free(t->data);
	free(t);
}

/* testRun(handle, 'xdp' | 'tc_ingress' | 'tc_egress', packet, repeat) -> Promise */
static napi_value js_test_run(napi_env env, napi_callback_info info)
{
	size_t argc = 4, len;
	napi_value argv[4], promise, name;
	char prog[16];
	void *buf;
	CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	struct probe *p = unwrap(env, argv[0]);
	if (!p)
		return NULL;
	if (p->closed) {
		napi_throw_error(env, "closed", "the probe is closed");
		return NULL;
	}
	CHECK(napi_get_value_string_utf8(env, argv[1], prog, sizeof(prog), &len));
	struct test_run *t = calloc(1, sizeof(*t));
	CHECK(napi_get_buffer_info(env, argv[2], &buf, &len));
	CHECK(napi_get_value_uint32(env, argv[3], &t->repeat));
	t->prog_fd = bpf_program__fd(strcmp(prog, "xdp") == 0 ? p->skel->progs.beacon_xdp
				     : strcmp(prog, "tc_egress") == 0 ? p->skel->progs.beacon_tc_egress
								       : p->skel->progs.beacon_tc_ingress);
	t->size = (uint32_t)len;
	t->data = malloc(len ? len : 1);
	memcpy(t->data, buf, len);
	CHECK(napi_create_promise(env, &t->deferred, &promise));
	CHECK(napi_create_string_utf8(env, "beacon-test-run", NAPI_AUTO_LENGTH, &name));
	CHECK(napi_create_async_work(env, NULL, name, test_run_exec, test_run_done, t, &t->work));
	CHECK(napi_queue_async_work(env, t->work));
	return promise;
}

NAPI_MODULE_INIT()
{
	napi_property_descriptor props[] = {
		{"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
		{"drain", NULL, js_drain, NULL, NULL, NULL, napi_default, NULL},
		{"drainInto", NULL, js_drain_into, NULL, NULL, NULL, napi_default, NULL},
		{"drainPayloads", NULL, js_drain_payloads, NULL, NULL, NULL, napi_default, NULL},
		{"counters", NULL, js_counters, NULL, NULL, NULL, napi_default, NULL},
		{"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
		{"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
		{"testRun", NULL, js_test_run, NULL, NULL, NULL, napi_default, NULL},
	};
	napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
	return exports;
}
