/* Loading and attaching: XDP (native, then generic) or TC ingress; TC egress. bpf_link first. */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
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

int probe_attach(struct probe *p, char *err, size_t errlen)
{
	const char *in = p->cfg.ingress_mode;
	const char *ingress = NULL, *egress = NULL;
	int auto_in = strcmp(in, "auto") == 0;
	int xdp_fd = bpf_program__fd(p->skel->progs.beacon_xdp);

	if (auto_in || strcmp(in, "xdp-native") == 0) {
		int fd = link_create(xdp_fd, p->ifindex, BPF_XDP, XDP_FLAGS_DRV_MODE);
		if (fd >= 0) {
			p->xdp_link_fd = fd;
			ingress = "xdp";
		} else {
			note(p, "xdp native", -fd);
		}
	}
	if (!ingress && (auto_in || strcmp(in, "xdp-generic") == 0)) {
		int fd = link_create(xdp_fd, p->ifindex, BPF_XDP, XDP_FLAGS_SKB_MODE);
		if (fd >= 0) {
			p->xdp_link_fd = fd;
			ingress = "xdpgeneric";
		} else {
			note(p, "xdp generic", -fd);
		}
	}
	if (!ingress && (auto_in || strcmp(in, "tc") == 0))
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
