// SPDX-License-Identifier: Apache-2.0
/*
 * Churn for the soak: for SECONDS, start PROCS short-lived processes per second and open and close
 * CONNS TCP connections per second over loopback only (127.0.0.1 and ::1, alternating), each
 * connection moving BYTES bytes each way. Stops by itself and prints what it achieved:
 *
 *   pid=P role=client net_in=N net_out=N conns=N errors=N seconds=S      (the connecting process)
 *   pid=P role=server net_in=N net_out=N conns=N errors=N seconds=S      (the accepting process)
 *   pid=P role=spawner procs=N errors=N seconds=S                          (the process starter)
 *
 * The net_in/net_out counts are the payload bytes that process's recv/send calls moved, so they
 * can be compared with wiretop's NET counts for the pid. A spawned child is this program again
 * (argv: churn child TAG), which exits at once; TAG lets a checker tell the children apart.
 *
 * Usage: churn SECONDS PROCS CONNS BYTES TAG
 * Pacing is by elapsed time: if the machine cannot keep up the rate is lower, never made up later
 * in a burst beyond one pacing step, and the report says what it was.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what) { fprintf(stderr, "churn: %s: %s\n", what, strerror(errno)); exit(2); }

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void nap(double seconds)
{
	struct timespec t = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
	nanosleep(&t, NULL);
}

static socklen_t loopback(int v6, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *a = (void *)ss;
		a->sin6_family = AF_INET6; a->sin6_port = htons(port); a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
	struct sockaddr_in *a = (void *)ss;
	a->sin_family = AF_INET; a->sin_port = htons(port); a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*a);
}

/* A listening socket on the loopback address of the family (ephemeral port), or -1 if the family is unavailable. */
static int listener(int v6, int *port)
{
	struct sockaddr_storage ss; socklen_t len = loopback(v6, 0, &ss);
	int s = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) return -1;
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (void *)&ss, len) < 0 || listen(s, 4096) < 0) { close(s); return -1; }
	len = sizeof(ss);
	getsockname(s, (void *)&ss, &len);
	*port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
	return s;
}

static long full(int fd, char *b, long n, int writing)
{
	long done = 0;
	while (done < n) {
		long r = writing ? send(fd, b + done, n - done, MSG_NOSIGNAL) : recv(fd, b + done, n - done, 0);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) return r < 0 ? -1 : done;
		done += r;
	}
	return done;
}

struct tally { long in, out, conns, errors; };

/*
 * Accepts on both listeners until `quit` (a pipe) is closed: reads BYTES, writes them back and
 * closes first, so TIME_WAIT stays on the server side and the client's ports are not used up.
 */
static void serve(int l4, int l6, int quit, long bytes, double t0)
{
	struct tally t = {0};
	char *b = malloc(bytes);
	struct pollfd p[3] = { { quit, POLLIN, 0 }, { l4, POLLIN, 0 }, { l6, POLLIN, 0 } };
	int n = l6 >= 0 ? 3 : 2;
	for (;;) {
		if (poll(p, n, 1000) < 0) {
			if (errno == EINTR) continue;
			die("poll");
		}
		int accepted = 0;
		for (int i = 1; i < n; i++) {
			if (!(p[i].revents & POLLIN)) continue;
			int c = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0) { t.errors++; continue; }
			accepted = 1;
			long r = full(c, b, bytes, 0);
			if (r > 0) t.in += r;
			long w = r == bytes ? full(c, b, bytes, 1) : -1;
			if (w > 0) t.out += w;
			if (r != bytes || w != bytes) t.errors++;
			t.conns++;
			close(c);
		}
		/* the client is done only when nothing is pending any more */
		if (!accepted && p[0].revents) break;
	}
	printf("pid=%d role=server net_in=%ld net_out=%ld conns=%ld errors=%ld seconds=%.3f\n",
	       getpid(), t.in, t.out, t.conns, t.errors, now() - t0);
	fflush(stdout);
}

static void connect_all(double seconds, long rate, long bytes, int p4, int p6, double t0)
{
	struct tally t = {0};
	char *b = malloc(bytes);
	memset(b, 'c', bytes);
	double end = t0 + seconds;
	long slot = 0; /* pacing position: skips ahead when behind, so there is no catch-up burst */
	for (double n = now(); n < end; n = now()) {
		long due = (long)((n - t0) * rate);
		if (slot >= due) { nap(0.001); continue; }
		if (due - slot > rate / 10) slot = due - rate / 10;
		slot++;
		int v6 = p6 > 0 && (t.conns & 1);
		struct sockaddr_storage ss; socklen_t len = loopback(v6, v6 ? p6 : p4, &ss);
		int s = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0) { t.errors++; nap(0.001); continue; }
		int one = 1;
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(s, (void *)&ss, len) == 0) {
			long w = full(s, b, bytes, 1);
			if (w > 0) t.out += w;
			long r = w == bytes ? full(s, b, bytes, 0) : -1;
			if (r > 0) t.in += r;
			if (w != bytes || r != bytes) t.errors++;
			char eof;
			if (recv(s, &eof, 1, 0) != 0) t.errors++; /* the server closes after its reply */
		} else {
			t.errors++;
		}
		close(s);
		t.conns++;
	}
	printf("pid=%d role=client net_in=%ld net_out=%ld conns=%ld errors=%ld seconds=%.3f\n",
	       getpid(), t.in, t.out, t.conns, t.errors, now() - t0);
	fflush(stdout);
}

static void spawn_all(double seconds, long rate, const char *tag, double t0)
{
	long procs = 0, errors = 0, running = 0, slot = 0;
	char *argv[] = { "churn", "child", (char *)tag, NULL };
	double end = t0 + seconds;
	for (double n = now(); n < end; n = now()) {
		while (running > 0 && waitpid(-1, NULL, WNOHANG) > 0) running--;
		long due = (long)((n - t0) * rate);
		if (slot >= due) { nap(0.001); continue; }
		if (due - slot > rate / 10) slot = due - rate / 10;
		slot++;
		pid_t pid;
		if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ) == 0) { running++; procs++; }
		else errors++;
	}
	while (running > 0 && wait(NULL) > 0) running--;
	printf("pid=%d role=spawner procs=%ld errors=%ld seconds=%.3f\n", getpid(), procs, errors, now() - t0);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "child") == 0) return 0;
	if (argc != 6) {
		fprintf(stderr, "usage: churn SECONDS PROCS_PER_S CONNS_PER_S BYTES TAG\n");
		return 2;
	}
	double seconds = atof(argv[1]);
	long procs = atol(argv[2]), conns = atol(argv[3]), bytes = atol(argv[4]);
	if (seconds <= 0 || seconds > 86400 || procs < 0 || conns < 0 || bytes < 1 || bytes > 65536) {
		fprintf(stderr, "churn: bad arguments\n");
		return 2;
	}
	int p4 = 0, p6 = 0;
	int l4 = listener(0, &p4), l6 = listener(1, &p6);
	if (l4 < 0) die("listen on 127.0.0.1");
	int quit[2];
	if (pipe2(quit, O_CLOEXEC) < 0) die("pipe");
	double t0 = now();
	fflush(stdout);
	pid_t server = fork();
	if (server < 0) die("fork");
	if (server == 0) {
		close(quit[1]);
		serve(l4, l6, quit[0], bytes, t0);
		_exit(0);
	}
	close(quit[0]); close(l4); if (l6 >= 0) close(l6);
	pid_t spawner = fork();
	if (spawner < 0) die("fork");
	if (spawner == 0) {
		close(quit[1]);
		spawn_all(seconds, procs, argv[5], t0);
		_exit(0);
	}
	connect_all(seconds, conns, bytes, p4, l6 >= 0 ? p6 : 0, t0);
	close(quit[1]);
	int st, bad = 0;
	if (waitpid(server, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) bad = 1;
	if (waitpid(spawner, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) bad = 1;
	printf("churn: v6=%s\n", l6 >= 0 ? "yes" : "no");
	return bad;
}
