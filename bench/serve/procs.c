// SPDX-License-Identifier: Apache-2.0
/*
 * Load for the serve benchmark: PROCS processes alive at once, each holding one TCP connection over
 * loopback (127.0.0.1) to one server process and sending BYTES bytes every second, under NAMES
 * distinct names (prctl PR_SET_NAME "wtb-NNN": what the metrics count as names). Runs until
 * SIGTERM/SIGINT, which it passes on to its children.
 *
 * Usage: procs PROCS NAMES BYTES
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void die(const char *what) { fprintf(stderr, "procs: %s: %s\n", what, strerror(errno)); exit(2); }

static void child(int port, int n, int names, int bytes) {
    char name[16];
    snprintf(name, sizeof name, "wtb-%03d", n % names);
    prctl(PR_SET_NAME, name, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
    char *buf = calloc(1, bytes > 0 ? bytes : 1);
    usleep((n * 997) % 1000000); // spread the sends over the second
    while (!stop) {
        if (send(fd, buf, bytes, 0) < 0) break;
        sleep(1);
    }
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: procs PROCS NAMES BYTES\n"); return 2; }
    int procs = atoi(argv[1]), names = atoi(argv[2]), bytes = atoi(argv[3]);
    signal(SIGTERM, on_stop);
    signal(SIGINT, on_stop);
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof a) < 0 || listen(srv, 4096) < 0) die("listen");
    getsockname(srv, (struct sockaddr *)&a, &len);
    int port = ntohs(a.sin_port);
    prctl(PR_SET_NAME, "wtb-server", 0, 0, 0);
    pid_t *kids = calloc(procs, sizeof *kids);
    struct pollfd *fds = calloc(procs + 1, sizeof *fds);
    int nfds = 1;
    fds[0] = (struct pollfd){.fd = srv, .events = POLLIN};
    for (int i = 0; i < procs; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            close(srv);
            child(port, i, names, bytes);
        }
        if (kids[i] < 0) die("fork");
    }
    char buf[65536];
    while (!stop) {
        if (poll(fds, nfds, 1000) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        if (fds[0].revents & POLLIN) {
            int c = accept(srv, NULL, NULL);
            if (c >= 0 && nfds < procs + 1) fds[nfds++] = (struct pollfd){.fd = c, .events = POLLIN};
        }
        for (int i = 1; i < nfds; i++) {
            if (fds[i].revents & (POLLIN | POLLHUP)) {
                if (recv(fds[i].fd, buf, sizeof buf, 0) <= 0) fds[i].events = 0;
            }
        }
    }
    for (int i = 0; i < procs; i++) kill(kids[i], SIGTERM);
    while (wait(NULL) > 0) {}
    printf("procs: %d processes, %d names, %d connections accepted\n", procs, names, nfds - 1);
    return 0;
}
