// SPDX-License-Identifier: Apache-2.0
/*
 * The cost of one syscall, for bench/traces/floor.sh: N getppid() calls (the cheapest syscall, so
 * what a hook adds is not hidden by work in the call), timed with this thread's CPU clock.
 * Usage: sysloop N  -> prints "ns_per_call"
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	if (n <= 0) {
		fprintf(stderr, "usage: sysloop N (N > 0)\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.1f\n", ns / n);
	return 0;
}
