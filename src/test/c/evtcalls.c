// SPDX-License-Identifier: Apache-2.0
/*
 * Ground truth for the syscall stream's less common events: makes each syscall the stream encodes
 * specifically (beyond read/write/connect/accept...) once, through syscall(2) where libc would pick
 * another one, with known arguments, and prints what a reader must find:
 *   file=PATH udp=PORT client=PORT tcp6=PORT child=PID
 *
 *   evtcalls           the calls; the child it starts (clone3) runs `evtcalls child` via execveat
 *   evtcalls child     exits at once
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what) { fprintf(stderr, "evtcalls: %s: %s\n", what, strerror(errno)); exit(2); }

static int port_of(int s)
{
	struct sockaddr_storage ss; socklen_t len = sizeof(ss);
	if (getsockname(s, (void *)&ss, &len)) die("getsockname");
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child"))
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/wt-evtcalls-%d", getpid());
	struct iovec iov[2] = { { "hello ", 6 }, { "world", 5 } };

	int fd = syscall(SYS_creat, path, 0600);
	if (fd < 0) die("creat");
	if (syscall(SYS_writev, fd, iov, 2) != 11) die("writev");
	if (syscall(SYS_pwrite64, fd, "XY", 2, 20) != 2) die("pwrite64");
	if (syscall(SYS_pwritev, fd, iov, 2, 100, 0) != 11) die("pwritev");
	close(fd);

	fd = syscall(SYS_open, path, O_RDONLY);
	if (fd < 0) die("open");
	char a[6], b[5];
	struct iovec r[2] = { { a, 6 }, { b, 5 } };
	if (syscall(SYS_readv, fd, r, 2) != 11) die("readv");
	if (syscall(SYS_pread64, fd, a, 2, 20) != 2) die("pread64");
	if (syscall(SYS_preadv, fd, r, 2, 100, 0) != 11) die("preadv");
	if (syscall(SYS_dup, fd) < 0 || syscall(SYS_dup2, fd, 50) != 50 || syscall(SYS_dup3, fd, 51, O_CLOEXEC) != 51) die("dup");
	struct open_how how = { .flags = O_RDONLY };
	if (syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)) < 0) die("openat2");
	int p[2], q[2];
	if (syscall(SYS_pipe, p) || syscall(SYS_pipe2, q, O_CLOEXEC)) die("pipe");
	int null = open("/dev/null", O_WRONLY);
	off_t off = 0;
	if (syscall(SYS_sendfile, null, fd, &off, 11) != 11) die("sendfile");

	/* UDP over IPv4 loopback: sendmsg/recvmsg with addresses, then sendmmsg/recvmmsg */
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int u = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(u, (void *)&sa, sizeof(sa))) die("bind");
	sa.sin_port = htons(port_of(u));
	struct msghdr m = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = iov, .msg_iovlen = 2 };
	if (sendmsg(c, &m, 0) != 11) die("sendmsg");
	struct sockaddr_in from;
	struct msghdr rm = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = r, .msg_iovlen = 2 };
	if (recvmsg(u, &rm, 0) != 11) die("recvmsg");
	struct mmsghdr mm[2] = { { .msg_hdr = m }, { .msg_hdr = m } };
	if (sendmmsg(c, mm, 2, 0) != 2) die("sendmmsg");
	struct mmsghdr rmm[2] = { { .msg_hdr = rm }, { .msg_hdr = rm } };
	if (recvmmsg(u, rmm, 2, MSG_WAITFORONE, NULL) < 1) die("recvmmsg");

	/* TCP over IPv6 loopback: listen, accept4, shutdown */
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int l = socket(AF_INET6, SOCK_STREAM, 0), cl = socket(AF_INET6, SOCK_STREAM, 0);
	if (bind(l, (void *)&s6, sizeof(s6)) || listen(l, 5)) die("listen");
	s6.sin6_port = htons(port_of(l));
	if (connect(cl, (void *)&s6, sizeof(s6))) die("connect");
	int ac = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (ac < 0) die("accept4");
	if (shutdown(cl, SHUT_RDWR)) die("shutdown");

	/* clone3, and the child execs this program again through execveat */
	struct clone_args ca = { .exit_signal = SIGCHLD };
	long kid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (kid < 0) die("clone3");
	if (kid == 0) {
		char *args[] = { argv[0], "child", NULL };
		syscall(SYS_execveat, AT_FDCWD, argv[0], args, environ, 0);
		_exit(3);
	}
	int status;
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status)) die("child");
	unlink(path);
	printf("file=%s udp=%d client=%d tcp6=%d child=%ld\n", path, port_of(u), port_of(c), port_of(l), kid);
	return 0;
}
