// SPDX-License-Identifier: Apache-2.0
// 100-byte TCP ping-pong over loopback (TCP_NODELAY); prints requests/s. Usage: pingpong PORT SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int full(int fd, char *b, int n, int rd) {
	for (int o = 0; o < n;) { int r = rd ? read(fd, b + o, n - o) : write(fd, b + o, n - o); if (r <= 0) return -1; o += r; }
	return 0;
}
int main(int argc, char **argv) {
	int port = atoi(argv[1]); double secs = atof(argv[2]); char buf[100]; memset(buf, 'x', sizeof buf);
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (bind(l, (void *)&a, sizeof a) || listen(l, 1)) { perror("bind"); return 1; }
	pid_t srv = fork();
	if (srv == 0) {
		int c = accept(l, 0, 0); setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		while (full(c, buf, 100, 1) == 0 && full(c, buf, 100, 0) == 0) {}
		_exit(0);
	}
	int c = socket(AF_INET, SOCK_STREAM, 0); setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c, (void *)&a, sizeof a)) { perror("connect"); return 1; }
	long n = 0; double t0 = now(), t;
	while ((t = now()) - t0 < secs) { full(c, buf, 100, 0); full(c, buf, 100, 1); n++; }
	close(c); waitpid(srv, 0, 0);
	printf("%.0f\n", n / (t - t0));
	return 0;
}
