// SPDX-License-Identifier: Apache-2.0
/*
 * Ground truth for the kernel tests: moves exactly known payload byte counts between forked
 * children and prints, per child pid, what it moved ("pid=P role=R net_in=N net_out=N file_in=N
 * file_out=N"). Children are forked, not exec'd, so no dynamic-loader I/O blurs the counts.
 *
 *   workload tcp 4|6 BYTES CHUNK      client child sends BYTES, server child reads them and replies 1000
 *   workload udp 4|6 COUNT SIZE       client child sends COUNT datagrams (connected), server receives
 *   workload udpu 4|6 COUNT SIZE      the same with unconnected sendto()
 *   workload burst N BYTES            one client child makes N connections sending BYTES each
 *   workload shared BYTES_P BYTES_C   one socket written by a process (BYTES_P) and its forked child (BYTES_C)
 *   workload file BYTES               a child writes BYTES to a file, then reads them back
 *   workload short BYTES PORT         (exec'd by `exec` mode) connect to 127.0.0.1:PORT, send BYTES, exit
 *   workload exec BYTES               a server child; a short-lived exec'd client sends BYTES and exits
 *   workload stream SECONDS           a client child streams 64 KiB every 10 ms to a server child for SECONDS
 *   workload mapped BYTES             dual-stack server on [::] and an IPv4 client (IPv4-mapped addresses)
 *   workload paced RATE SECONDS CHUNK a client child sends CHUNK-byte writes (TCP_NODELAY) paced to RATE
 *                                     bytes/s for SECONDS or until SIGTERM; it then prints "sent from=NS
 *                                     to=NS bytes=N" for each write (CLOCK_MONOTONIC before and after it,
 *                                     bytes so far): the ground truth of any interval
 *   workload spawn N BYTES EXE        a spawner child starts N short-lived clients, one every 20 ms, each
 *                                     exec'ing EXE (e.g. a symlink to this program, which sets their comm)
 *                                     in `short` mode: connect, send BYTES, exit; the server reads each
 *                                     connection 1.5 s later, so most bytes cross the wire after the
 *                                     client exited
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

static void die(const char *what) { fprintf(stderr, "workload: %s: %s\n", what, strerror(errno)); exit(2); }

static void report(const char *role, long in, long out, long fin, long fout)
{
	printf("pid=%d role=%s net_in=%ld net_out=%ld file_in=%ld file_out=%ld\n", getpid(), role, in, out, fin, fout);
	fflush(stdout);
}

static socklen_t addr_of(int fam, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == 6) {
		struct sockaddr_in6 *a = (void *)ss;
		a->sin6_family = AF_INET6; a->sin6_port = htons(port); a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
	struct sockaddr_in *a = (void *)ss;
	a->sin_family = AF_INET; a->sin_port = htons(port); a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*a);
}

static int bound(int fam, int type, int *port)
{
	/* WORKLOAD_PORT pins the server port, so that a capture filter can select just this traffic */
	const char *fixed = getenv("WORKLOAD_PORT");
	struct sockaddr_storage ss; socklen_t len = addr_of(fam, fixed ? atoi(fixed) : 0, &ss);
	int s = socket(fam == 6 ? AF_INET6 : AF_INET, type, 0);
	if (s < 0) die("socket");
	if (bind(s, (void *)&ss, len)) die("bind");
	if (type == SOCK_STREAM && listen(s, 128)) die("listen");
	getsockname(s, (void *)&ss, &len);
	*port = ntohs(fam == 6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
	return s;
}

static int connected(int fam, int type, int port)
{
	struct sockaddr_storage ss; socklen_t len = addr_of(fam, port, &ss);
	int s = socket(fam == 6 ? AF_INET6 : AF_INET, type, 0);
	if (s < 0) die("socket");
	if (connect(s, (void *)&ss, len)) die("connect");
	return s;
}

static long send_all(int s, long bytes, long chunk)
{
	long sent = 0;
	while (sent < bytes) {
		long n = bytes - sent < chunk ? bytes - sent : chunk;
		ssize_t r = write(s, buf, n);
		if (r < 0) die("write");
		sent += r;
	}
	return sent;
}

static long read_to_eof(int s)
{
	long got = 0; ssize_t r;
	while ((r = read(s, buf, sizeof(buf))) > 0) got += r;
	if (r < 0) die("read");
	return got;
}

static long long mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void wait_all(void) { while (wait(NULL) > 0) ; }

/* A forked server child that accepts `accepts` connections on l and reads each to EOF. */
static void sink_server_n(int l, long accepts)
{
	if (fork() == 0) {
		long got = 0;
		for (long i = 0; i < accepts; i++) {
			int a = accept(l, NULL, NULL);
			got += read_to_eof(a);
			close(a);
		}
		report("server", got, 0, 0, 0);
		_exit(0);
	}
	close(l);
}

static void sink_server(int l) { sink_server_n(l, 1); }

static int tcp(int fam, long bytes, long chunk)
{
	int port, l = bound(fam, SOCK_STREAM, &port);
	if (fork() == 0) {
		int a = accept(l, NULL, NULL);
		long got = read_to_eof(a);
		long out = send_all(a, 1000, 1000);
		close(a);
		report("server", got, out, 0, 0);
		_exit(0);
	}
	close(l);
	if (fork() == 0) {
		int c = connected(fam, SOCK_STREAM, port);
		struct sockaddr_storage me; socklen_t ml = sizeof(me);
		getsockname(c, (void *)&me, &ml);
		printf("ports client=%d server=%d\n", ntohs(fam == 6 ? ((struct sockaddr_in6 *)&me)->sin6_port
		       : ((struct sockaddr_in *)&me)->sin_port), port);
		fflush(stdout);
		long out = send_all(c, bytes, chunk);
		shutdown(c, SHUT_WR);
		long in = read_to_eof(c);
		close(c);
		report("client", in, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int udp(int fam, long count, long size, int connect_first)
{
	int port, srv = bound(fam, SOCK_DGRAM, &port);
	int rcv = 8 << 20;
	setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (fork() == 0) {
		long got = 0;
		for (long i = 0; i < count; i++) {
			ssize_t r = recv(srv, buf, sizeof(buf), 0);
			if (r < 0) die("recv");
			got += r;
		}
		report("server", got, 0, 0, 0);
		_exit(0);
	}
	close(srv);
	if (fork() == 0) {
		long out = 0;
		int c;
		if (connect_first) {
			c = connected(fam, SOCK_DGRAM, port);
		} else {
			c = socket(fam == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		}
		struct sockaddr_storage ss; socklen_t len = addr_of(fam, port, &ss);
		for (long i = 0; i < count; i++) {
			ssize_t r = connect_first ? send(c, buf, size, 0) : sendto(c, buf, size, 0, (void *)&ss, len);
			if (r < 0) die("send");
			out += r;
			if (i % 64 == 63) usleep(1000); /* let the receiver keep up: no datagram may be dropped */
		}
		close(c);
		report("client", 0, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int burst(long n, long bytes)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	sink_server_n(l, n);
	if (fork() == 0) {
		long out = 0;
		for (long i = 0; i < n; i++) {
			int c = connected(4, SOCK_STREAM, port);
			out += send_all(c, bytes, bytes);
			close(c);
		}
		report("client", 0, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int shared(long bp, long bc)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	sink_server(l);
	if (fork() == 0) {
		int c = connected(4, SOCK_STREAM, port);
		int go[2];
		if (pipe(go)) die("pipe");
		pid_t kid = fork();
		if (kid == 0) {
			char x;
			if (read(go[0], &x, 1) != 1) die("pipe read");
			long out = send_all(c, bc, 4096);
			report("shared-child", 0, out, 0, 0);
			_exit(0);
		}
		long out = send_all(c, bp, 4096);
		if (write(go[1], "g", 1) != 1) die("pipe write");
		waitpid(kid, NULL, 0);
		close(c);
		report("shared-parent", 0, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int file_io(long bytes)
{
	if (fork() == 0) {
		char path[] = "/tmp/wiretop-workload-XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0) die("mkstemp");
		long out = send_all(fd, bytes, 4096);
		if (lseek(fd, 0, SEEK_SET) < 0) die("lseek");
		long in = read_to_eof(fd);
		close(fd);
		unlink(path);
		report("file", 0, 0, in, out);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int short_client(long bytes, int port)
{
	int c = connected(4, SOCK_STREAM, port);
	long out = send_all(c, bytes, bytes);
	close(c);
	report("short", 0, out, 0, 0);
	return 0;
}

static int exec_short(const char *self, long bytes)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	sink_server(l);
	if (fork() == 0) {
		char b[32], p[16];
		snprintf(b, sizeof(b), "%ld", bytes);
		snprintf(p, sizeof(p), "%d", port);
		execl(self, self, "short", b, p, (char *)NULL);
		die("exec");
	}
	wait_all();
	return 0;
}

static int mapped(long bytes)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	socklen_t len = sizeof(a6);
	int l = socket(AF_INET6, SOCK_STREAM, 0), off = 0;
	setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(l, (void *)&a6, len) || listen(l, 8)) die("bind [::]");
	getsockname(l, (void *)&a6, &len);
	int port = ntohs(a6.sin6_port);
	sink_server(l);
	if (fork() == 0) {
		int c = connected(4, SOCK_STREAM, port);
		long out = send_all(c, bytes, 4096);
		close(c);
		report("client", 0, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static int stream(long seconds)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	sink_server(l);
	if (fork() == 0) {
		int c = connected(4, SOCK_STREAM, port);
		long out = 0;
		for (long i = 0; i < seconds * 100; i++) {
			out += send_all(c, 65536, 65536);
			usleep(10000);
		}
		close(c);
		report("client", 0, out, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

static volatile sig_atomic_t stop_paced;
static pid_t paced_client;
static void on_stop(int sig) { (void)sig; stop_paced = 1; }
static void forward_stop(int sig) { (void)sig; if (paced_client > 0) kill(paced_client, SIGTERM); }

static int paced(long rate, long seconds, long chunk)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	sink_server(l);
	signal(SIGTERM, on_stop);
	if ((paced_client = fork()) == 0) {
		int c = connected(4, SOCK_STREAM, port), one = 1;
		/* one segment per write: headers are a few % of the wire, so NET stays clearly below WIRE */
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		long long t0 = mono_ns();
		long n = rate * seconds / chunk, out = 0;
		/* kept in memory, printed at the end: printing while sending would pace the stream too */
		long long *ts = malloc(sizeof(*ts) * (n + 1)), *before = malloc(sizeof(*before) * (n + 1));
		if (!ts || !before) die("malloc");
		ts[0] = before[0] = t0;
		long i;
		for (i = 1; i <= n && !stop_paced; i++) {
			long long due = t0 + (long long)((double)i * chunk * 1e9 / rate), now = mono_ns();
			if (due > now) {
				struct timespec d = { (due - now) / 1000000000LL, (due - now) % 1000000000LL };
				nanosleep(&d, NULL);
			}
			before[i] = mono_ns();
			out += send_all(c, chunk, chunk);
			ts[i] = mono_ns();
		}
		close(c);
		n = i - 1;
		for (i = 0; i <= n; i++) printf("sent from=%lld to=%lld bytes=%ld\n", before[i], ts[i], i * chunk);
		report("client", 0, out, 0, 0);
		_exit(0);
	}
	signal(SIGTERM, forward_stop);
	wait_all();
	return 0;
}

/*
 * Like sink_server_n, but with a tiny receive buffer, and each connection is read only HOLD_MS
 * after it was accepted: a client's write returns with most of its bytes still queued in its
 * socket, and they go on the wire long after the client exited.
 */
#define HOLD_MS 1500
static void late_read_server(int l, long accepts)
{
	int tiny = 1; /* the kernel rounds it up to its minimum */
	setsockopt(l, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny));
	if (fork() == 0) {
		long got = 0, accepted = 0, done = 0;
		int *fds = malloc(sizeof(int) * accepts);
		long long *at = malloc(sizeof(long long) * accepts);
		if (!fds || !at) die("malloc");
		while (done < accepts) {
			long long now = mono_ns();
			if (done < accepted && at[done] + HOLD_MS * 1000000LL <= now) {
				got += read_to_eof(fds[done]);
				close(fds[done++]);
				continue;
			}
			int timeout = done < accepted ? (int)((at[done] + HOLD_MS * 1000000LL - now) / 1000000LL) + 1 : -1;
			struct pollfd p = { .fd = l, .events = POLLIN };
			if (accepted < accepts && poll(&p, 1, timeout) > 0) {
				fds[accepted] = accept(l, NULL, NULL);
				if (fds[accepted] < 0) die("accept");
				at[accepted++] = mono_ns();
			} else if (accepted == accepts) {
				usleep(timeout * 1000);
			}
		}
		report("server", got, 0, 0, 0);
		_exit(0);
	}
	close(l);
}

static int spawn(long n, long bytes, const char *exe)
{
	int port, l = bound(4, SOCK_STREAM, &port);
	late_read_server(l, n);
	if (fork() == 0) {
		char b[32], p[16];
		snprintf(b, sizeof(b), "%ld", bytes);
		snprintf(p, sizeof(p), "%d", port);
		for (long i = 0; i < n; i++) {
			if (fork() == 0) {
				execl(exe, exe, "short", b, p, (char *)NULL);
				die("exec");
			}
			usleep(20000);
		}
		wait_all();
		report("spawner", 0, 0, 0, 0);
		_exit(0);
	}
	wait_all();
	return 0;
}

int main(int argc, char **argv)
{
	memset(buf, 'w', sizeof(buf));
	if (argc < 3) { fprintf(stderr, "usage: see the comment at the top of workload.c\n"); return 2; }
	const char *m = argv[1];
	long a = atol(argv[2]), b = argc > 3 ? atol(argv[3]) : 0, c = argc > 4 ? atol(argv[4]) : 0;
	if (!strcmp(m, "tcp")) return tcp(a, b, c);
	if (!strcmp(m, "udp")) return udp(a, b, c, 1);
	if (!strcmp(m, "udpu")) return udp(a, b, c, 0);
	if (!strcmp(m, "burst")) return burst(a, b);
	if (!strcmp(m, "shared")) return shared(a, b);
	if (!strcmp(m, "file")) return file_io(a);
	if (!strcmp(m, "short")) return short_client(a, b);
	if (!strcmp(m, "exec")) return exec_short(argv[0], a);
	if (!strcmp(m, "mapped")) return mapped(a);
	if (!strcmp(m, "stream")) return stream(a);
	if (!strcmp(m, "paced")) return paced(a, b, c);
	if (!strcmp(m, "spawn")) return spawn(a, b, argc > 4 ? argv[4] : argv[0]);
	fprintf(stderr, "workload: unknown mode %s\n", m);
	return 2;
}
