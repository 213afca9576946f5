// SPDX-License-Identifier: Apache-2.0
/*
 * The cost of one BPF object's programs on the pinned ping-pong, without wiretop around them:
 * for comparing versions of a collector (bpf/net.bpf.c step by step) in one run.
 *
 * Usage: progcost [-s] SECONDS ROUNDS PINGPONG OBJ.bpf.o[,-PROG...]...
 * Each round runs PINGPONG SECONDS pinned to CPU 0 once untraced, then once with each object
 * attached (its tp_btf/raw_tp/tracepoint programs through links, cgroup programs on the cgroup v2
 * root, iter programs not attached); the order of the objects rotates per round. Prints one line per
 * run: "round cfg req_per_s cpu_ns_per_req", and with -s also, per program of the object, the runs
 * and ns per run over that run (bpf_stats, switched on through BPF_ENABLE_STATS for as long as this
 * process holds the fd: kernel.bpf_stats_enabled is left as it is). cpu_ns_per_req is the user+sys
 * time of pingpong and its echo child (wait4) per request: the CPU the workload spends per round,
 * in-kernel tracing included, whatever else the machine runs.
 *
 * OBJ,-PROG leaves that program of the object out (neither loaded nor attached): the same object
 * with fewer hooks, e.g. bpf/obj/evt.bpf.o,-evt_sys_enter is the syscall stream as an Echo window
 * attaches it. An object with evt.bpf.c's ".data.cfg" global gets mode MODE_PIDS with nothing
 * selected: the early exit every thread outside a window's selection takes.
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXP 16
#define CGROUP "/sys/fs/cgroup/unified"

struct obj {
	const char *path;         /* as given, with its ,-PROG parts */
	struct bpf_object *o;
	struct bpf_program *p[MAXP];
	int n;
	struct bpf_link *l[MAXP];
	__u64 cnt0[MAXP], ns0[MAXP];
};

static int silent(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	return lvl == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void prog_stats(struct bpf_program *p, __u64 *cnt, __u64 *ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	*cnt = *ns = 0;
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) == 0) {
		*cnt = info.run_cnt;
		*ns = info.run_time_ns;
	}
}

static int attach(struct obj *b)
{
	int cg = -1;
	for (int i = 0; i < b->n; i++) {
		const char *sec = bpf_program__section_name(b->p[i]);
		if (strncmp(sec, "iter/", 5) == 0) {
			b->l[i] = NULL;
			continue;
		}
		if (strncmp(sec, "cgroup", 6) == 0) {
			if (cg < 0 && (cg = open(CGROUP, O_RDONLY)) < 0)
				return -1;
			b->l[i] = bpf_program__attach_cgroup(b->p[i], cg);
		} else {
			b->l[i] = bpf_program__attach(b->p[i]);
		}
		if (!b->l[i]) {
			fprintf(stderr, "progcost: %s: cannot attach %s\n", b->path, bpf_program__name(b->p[i]));
			return -1;
		}
	}
	if (cg >= 0)
		close(cg);
	return 0;
}

static void detach(struct obj *b)
{
	for (int i = 0; i < b->n; i++) {
		bpf_link__destroy(b->l[i]);
		b->l[i] = NULL;
	}
}

/* pingpong SECONDS on CPU 0; returns req/s, sets *cpu_ns per request */
static double run(const char *pingpong, const char *seconds, double *cpu_ns)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	pid_t c = fork();
	if (c == 0) {
		cpu_set_t s;
		CPU_ZERO(&s);
		CPU_SET(0, &s);
		sched_setaffinity(0, sizeof(s), &s);
		dup2(fd[1], 1);
		close(fd[0]);
		execl(pingpong, pingpong, seconds, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	char buf[64] = {0};
	ssize_t n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	int st;
	struct rusage ru;
	if (wait4(c, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || n <= 0)
		return -1;
	double rate = atof(buf);
	double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	*cpu_ns = cpu / (rate * atof(seconds)) * 1e9;
	return rate;
}

int main(int argc, char **argv)
{
	int stats = 0, a = 1;
	if (argc > 1 && strcmp(argv[1], "-s") == 0)
		stats = 1, a = 2;
	if (argc - a < 4) {
		fprintf(stderr, "usage: progcost [-s] SECONDS ROUNDS PINGPONG OBJ.bpf.o[,-PROG...]...\n");
		return 2;
	}
	const char *seconds = argv[a];
	int rounds = atoi(argv[a + 1]);
	const char *pingpong = argv[a + 2];
	int nobj = argc - a - 3;
	struct obj *objs = calloc(nobj, sizeof(*objs));
	libbpf_set_print(silent);
	for (int k = 0; k < nobj; k++) {
		struct obj *b = &objs[k];
		b->path = argv[a + 3 + k];
		char *file = strdup(b->path), *skip = strchr(file, ',');
		if (skip)
			*skip++ = 0;
		b->o = bpf_object__open_file(file, NULL);
		if (!b->o) {
			fprintf(stderr, "progcost: cannot open %s\n", file);
			return 1;
		}
		for (char *name = skip ? strtok(skip, ",") : NULL; name; name = strtok(NULL, ",")) {
			struct bpf_program *sp = name[0] == '-' ? bpf_object__find_program_by_name(b->o, name + 1) : NULL;
			if (!sp) {
				fprintf(stderr, "progcost: %s: no program %s (write ,-NAME)\n", file, name);
				return 1;
			}
			bpf_program__set_autoload(sp, false);
		}
		struct bpf_map *cfg = bpf_object__find_map_by_name(b->o, ".data.cfg");
		if (cfg) { /* evt.bpf.c's evt_conf: mode MODE_PIDS (1), nothing selected */
			__u32 conf[6] = {1, 80, 0, 0, (__u32)getpid(), 0};
			if (bpf_map__set_initial_value(cfg, conf, sizeof(conf))) {
				fprintf(stderr, "progcost: %s: cannot set .data.cfg\n", file);
				return 1;
			}
		}
		if (bpf_object__load(b->o)) {
			fprintf(stderr, "progcost: cannot load %s\n", b->path);
			return 1;
		}
		struct bpf_program *p;
		bpf_object__for_each_program(p, b->o) if (b->n < MAXP && bpf_program__autoload(p)) b->p[b->n++] = p;
	}
	int sfd = -1;
	if (stats && (sfd = bpf_enable_stats(BPF_STATS_RUN_TIME)) < 0) {
		fprintf(stderr, "progcost: BPF_ENABLE_STATS: %s\n", strerror(errno));
		return 1;
	}
	for (int r = 1; r <= rounds; r++) {
		for (int j = 0; j <= nobj; j++) {
			/* position 0 of round r is the untraced run; the objects follow, rotated */
			int k = j == 0 ? -1 : (j - 1 + r - 1) % nobj;
			struct obj *b = k < 0 ? NULL : &objs[k];
			if (b && attach(b))
				return 1;
			if (b)
				for (int i = 0; i < b->n; i++)
					prog_stats(b->p[i], &b->cnt0[i], &b->ns0[i]);
			double ns, rate = run(pingpong, seconds, &ns);
			if (b)
				for (int i = 0; i < b->n; i++) {
					__u64 c, t;
					prog_stats(b->p[i], &c, &t);
					if (stats && c > b->cnt0[i])
						printf("  %d %s %s runs=%llu ns_per_run=%.1f runs_per_req=%.2f\n", r, b->path,
						       bpf_program__name(b->p[i]), c - b->cnt0[i],
						       (double)(t - b->ns0[i]) / (c - b->cnt0[i]),
						       (c - b->cnt0[i]) / (rate * atof(seconds)));
				}
			if (b)
				detach(b);
			if (rate < 0) {
				fprintf(stderr, "progcost: pingpong failed\n");
				return 1;
			}
			printf("%d %s %.0f %.1f\n", r, b ? b->path : "untraced", rate, ns);
			fflush(stdout);
		}
	}
	if (sfd >= 0)
		close(sfd);
	return 0;
}
