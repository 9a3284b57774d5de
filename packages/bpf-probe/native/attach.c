/*
 * Attaching: XDP (native, then generic) or TC ingress; TC egress. bpf_link first.
 * `auto` picks the ingress order by device: native XDP first on a device with a bus device
 * (a NIC), TC ingress first on a virtual one (veth, bridge, bond, tun, lo, ...): native XDP on
 * veth switches it to NAPI mode and turns off the peer's TSO, so every MTU-sized segment takes
 * the XDP and stack path one by one, which costs far more than the program itself.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "probe.skel.h"

/* Absent from older uapi headers; values checked against the kernel's BTF. */
#define BEACON_TCX_INGRESS 46
#define BEACON_TCX_EGRESS 47

static void note(struct probe *p, const char *what, int err)
{
	size_t n = strlen(p->log);
	snprintf(p->log + n, sizeof(p->log) - n, "%s%s: %s", n ? "; " : "", what, strerror(err));
}

static int link_create(int prog_fd, int ifindex, int type, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	int fd = bpf_link_create(prog_fd, ifindex, type, flags ? &opts : NULL);
	return fd < 0 ? -errno : fd;
}

static int clsact_attach(struct probe *p, int prog_fd, int egress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = p->ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	if (!err)
		p->qdisc_created = 1;
	hook.attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		return err;
	p->legacy_handle[egress] = opts.handle;
	p->legacy_prio[egress] = opts.priority;
	if (egress)
		p->legacy_egress = 1;
	else
		p->legacy_ingress = 1;
	return 0;
}

static void clsact_detach(struct probe *p, int egress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = p->ifindex,
		    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = p->legacy_handle[egress],
		    .priority = p->legacy_prio[egress]);
	bpf_tc_detach(&hook, &opts);
}

/* Attaches a TC program: TCX link when allowed, else a clsact filter. Returns the mode name. */
static const char *attach_tc(struct probe *p, struct bpf_program *prog, int egress)
{
	int fd = bpf_program__fd(prog);
	const char *mode = p->cfg.tc_mode;
	if (!egress && p->cfg.fail_tc_ingress) { /* tests of the fallback after TC ingress */
		note(p, "tc ingress", EOPNOTSUPP);
		return NULL;
	}
	if (strcmp(mode, "clsact") != 0) {
		int link = link_create(fd, p->ifindex, egress ? BEACON_TCX_EGRESS : BEACON_TCX_INGRESS, 0);
		if (link >= 0) {
			if (egress)
				p->egress_link_fd = link;
			else
				p->ingress_link_fd = link;
			return egress ? "tcx_egress" : "tcx_ingress";
		}
		note(p, egress ? "tcx egress" : "tcx ingress", -link);
		if (strcmp(mode, "tcx") == 0)
			return NULL;
	}
	int err = clsact_attach(p, fd, egress);
	if (err) {
		note(p, egress ? "clsact egress" : "clsact ingress", -err);
		return NULL;
	}
	return egress ? "tc_egress" : "tc_ingress";
}

/*
 * Fills p->driver and returns 1 when the device is virtual: ETHTOOL_GDRVINFO names no bus
 * device (veth, bridge, bond, tun, ...) or is not supported at all (lo).
 */
static int device_is_virtual(struct probe *p)
{
	struct ethtool_drvinfo info = {.cmd = ETHTOOL_GDRVINFO};
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%.*s", IFNAMSIZ - 1, p->cfg.ifname);
	ifr.ifr_data = (void *)&info;
	int ok = fd >= 0 && ioctl(fd, SIOCETHTOOL, &ifr) == 0;
	if (fd >= 0)
		close(fd);
	snprintf(p->driver, sizeof(p->driver), "%s", ok && info.driver[0] ? info.driver : "none");
	return !ok || info.bus_info[0] == 0;
}

static const char *attach_xdp(struct probe *p, int native)
{
	int xdp_fd = bpf_program__fd(p->skel->progs.beacon_xdp);
	int fd = link_create(xdp_fd, p->ifindex, BPF_XDP, native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);
	if (fd < 0) {
		note(p, native ? "xdp native" : "xdp generic", -fd);
		return NULL;
	}
	p->xdp_link_fd = fd;
	return native ? "xdp" : "xdpgeneric";
}

int probe_attach(struct probe *p, char *err, size_t errlen)
{
	const char *in = p->cfg.ingress_mode;
	const char *ingress = NULL, *egress = NULL;
	int is_virtual = device_is_virtual(p);
	p->is_virtual = is_virtual;
	/* xdp: native XDP, then generic XDP, then TC ingress; auto: the same on a NIC. */
	int xdp_chain = strcmp(in, "xdp") == 0 || (strcmp(in, "auto") == 0 && !is_virtual);
	int tc_first = strcmp(in, "auto") == 0 && is_virtual;

	if (tc_first) {
		ingress = attach_tc(p, p->skel->progs.beacon_tc_ingress, 0);
		if (!ingress)
			ingress = attach_xdp(p, 1);
		if (!ingress)
			ingress = attach_xdp(p, 0);
	}
	if (!ingress && (xdp_chain || strcmp(in, "xdp-native") == 0))
		ingress = attach_xdp(p, 1);
	if (!ingress && (xdp_chain || strcmp(in, "xdp-generic") == 0))
		ingress = attach_xdp(p, 0);
	if (!ingress && (xdp_chain || strcmp(in, "tc") == 0))
		ingress = attach_tc(p, p->skel->progs.beacon_tc_ingress, 0);
	if (!ingress && strcmp(in, "none") != 0) {
		snprintf(err, errlen, "could not attach an ingress hook to %s (%s)", p->cfg.ifname, p->log);
		probe_detach(p);
		return -1;
	}
	if (p->cfg.egress) {
		egress = attach_tc(p, p->skel->progs.beacon_tc_egress, 1);
		if (!egress) {
			snprintf(err, errlen, "could not attach TC egress to %s (%s)", p->cfg.ifname, p->log);
			probe_detach(p);
			return -1;
		}
	}
	snprintf(p->mode, sizeof(p->mode), "%s%s%s", ingress ? ingress : "", ingress && egress ? "+" : "",
		 egress ? egress : "");
	return 0;
}

void probe_detach(struct probe *p)
{
	if (p->xdp_link_fd >= 0) {
		close(p->xdp_link_fd);
		p->xdp_link_fd = -1;
	}
	if (p->ingress_link_fd >= 0) {
		close(p->ingress_link_fd);
		p->ingress_link_fd = -1;
	}
	if (p->egress_link_fd >= 0) {
		close(p->egress_link_fd);
		p->egress_link_fd = -1;
	}
	if (p->legacy_ingress) {
		clsact_detach(p, 0);
		p->legacy_ingress = 0;
	}
	if (p->legacy_egress) {
		clsact_detach(p, 1);
		p->legacy_egress = 0;
	}
	if (p->qdisc_created) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = p->ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
		bpf_tc_hook_destroy(&hook);
		p->qdisc_created = 0;
	}
}
