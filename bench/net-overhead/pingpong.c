// SPDX-License-Identifier: Apache-2.0
/*
 * Small-message request/response load over one TCP loopback connection.
 *
 * Usage: pingpong SECONDS
 * The parent connects and, for SECONDS, writes a 100-byte request and reads the
 * 100-byte reply; a forked child echoes. Prints requests per second on stdout.
 * TCP_NODELAY on both ends, so each request is exactly two data segments and
 * the cost of any per-syscall or per-packet tracer lands on the request rate.
 * Run it under `taskset -c 0` so client, server and all in-kernel tracing
 * share one CPU (CPU-bound instead of latency-bound on a VM).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG 100

/* Set by SIGTERM/SIGINT so the client can reap the echo child before exiting (else it is left to init). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int full_io(int fd, char *buf, int n, int writing)
{
	int done = 0;
	while (done < n) {
		ssize_t r = writing ? write(fd, buf + done, n - done)
				    : read(fd, buf + done, n - done);
		if (r < 0 && errno == EINTR && !interrupted)
			continue;
		if (r <= 0)
			return -1;
		done += (int)r;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nodelay(int fd)
{
	int one = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		die("setsockopt TCP_NODELAY");
}

int main(int argc, char **argv)
{
	char *end;
	double seconds = argc == 2 ? strtod(argv[1], &end) : 0;
	if (argc != 2 || *end || seconds <= 0) {
		fprintf(stderr, "usage: pingpong SECONDS\n");
		return 2;
	}

	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 1) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &len) < 0)
		die("bind/listen");

	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			die("accept");
		close(ls);
		nodelay(c);
		char buf[MSG];
		/* Echo until the client closes; any error simply ends the child. */
		while (full_io(c, buf, MSG, 0) == 0 && full_io(c, buf, MSG, 1) == 0)
			;
		_exit(0);
	}
	close(ls);

	/* No SA_RESTART: a blocked read must return EINTR so the flag is seen. */
	struct sigaction act = { .sa_handler = on_signal };
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	nodelay(fd);

	char buf[MSG];
	memset(buf, 'x', sizeof(buf));
	long reqs = 0;
	double t0 = now(), t1 = t0, end_at = t0 + seconds;
	for (;;) {
		if (interrupted || full_io(fd, buf, MSG, 1) < 0 || full_io(fd, buf, MSG, 0) < 0) {
			fprintf(stderr, "pingpong: %s after %ld requests\n",
				interrupted ? "interrupted" : "connection failed", reqs);
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			return 1;
		}
		reqs++;
		/* clock_gettime is a vDSO call, but sampling it every 64 requests keeps it off the profile. */
		if ((reqs & 63) == 0 && (t1 = now()) >= end_at)
			break;
	}
	close(fd);
	waitpid(child, NULL, 0);
	printf("%.0f\n", reqs / (t1 - t0));
	return 0;
}
