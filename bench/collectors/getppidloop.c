// SPDX-License-Identifier: Apache-2.0
/*
 * getppid() in a loop for SECONDS, printing calls per second: progcost's workload when the question
 * is what a hook on every syscall costs per syscall (the cheapest call, so nothing hides the hook).
 * progcost divides the loop's CPU time (rusage) by the calls: CPU ns per syscall, hook included.
 * Usage: getppidloop SECONDS (run pinned: taskset -c 0, as progcost does).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0;
	if (secs <= 0) {
		fprintf(stderr, "usage: getppidloop SECONDS\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long n = 0;
	double el;
	do {
		for (int i = 0; i < 10000; i++)
			syscall(SYS_getppid);
		n += 10000;
		clock_gettime(CLOCK_MONOTONIC, &b);
		el = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	} while (el < secs);
	/* progcost multiplies by its SECONDS argument: calls per second of that duration */
	printf("%.1f\n", n / secs);
	return 0;
}
