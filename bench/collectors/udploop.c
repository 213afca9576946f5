// SPDX-License-Identifier: Apache-2.0
/*
 * One send and one receive per iteration, no other process involved: a UDP socket on 127.0.0.1
 * sends 100 bytes to itself and reads them back, for SECONDS. Prints iterations per second, as
 * pingpong prints requests per second, so progcost.c drives either. Without the ping-pong's two
 * context switches per round, the CPU per iteration varies much less, and what a program on
 * sock_send_length/sock_recv_length adds per event (its dispatch included, which bpf_stats does
 * not see) stands out. Usage: udploop SECONDS (run pinned: taskset -c 0, as progcost does).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc == 2 ? atof(argv[1]) : 0;
	if (seconds <= 0) {
		fprintf(stderr, "usage: udploop SECONDS\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || getsockname(fd, (struct sockaddr *)&a, &len)
	    || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("udploop");
		return 1;
	}
	char buf[100] = {0};
	long n = 0;
	double t0 = now(), end = t0 + seconds, t = t0;
	while (t < end) {
		for (int i = 0; i < 256; i++, n++)
			if (send(fd, buf, sizeof(buf), 0) != sizeof(buf) || recv(fd, buf, sizeof(buf), 0) != sizeof(buf)) {
				perror("udploop");
				return 1;
			}
		t = now();
	}
	printf("%.0f\n", n / (t - t0));
	return 0;
}
