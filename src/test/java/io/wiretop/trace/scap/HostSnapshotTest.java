// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wiretop.host.InetSocket;
import io.wiretop.host.OpenFd;
import io.wiretop.host.ProcFs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How /proc's facts become head entries: fd kinds, v4-mapped sockets, flags, masks, cgroups, accounts. */
class HostSnapshotTest {
    @TempDir
    Path tmp;

    static final byte[] LO = {127, 0, 0, 1};
    static final byte[] MAPPED_LO = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};
    static final byte[] V6_LO = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private static ScapHead.Fd entry(String target, long inode, int flags, Map<Long, InetSocket> inet,
                                     Map<Long, String> unix) {
        return HostSnapshot.entry(new OpenFd(7, target, inode, flags, 0x803), inet, unix);
    }

    @Test
    void socketsBecomeServerOrConnectedEntriesAndDualStackIpv4BecomesIpv4() {
        Map<Long, InetSocket> inet = Map.of(
                1L, new InetSocket(1, true, MAPPED_LO, 8080, new byte[16], 0, InetSocket.TCP_LISTEN),
                2L, new InetSocket(2, true, MAPPED_LO, 50000, MAPPED_LO, 8080, 1),
                3L, new InetSocket(3, false, V6_LO, 53, new byte[16], 0, 7),
                4L, new InetSocket(4, true, MAPPED_LO, 50001, V6_LO, 80, 1));
        ScapHead.Fd server = entry("socket:[1]", 1, 2, inet, Map.of());
        assertEquals(ScapHead.Fd.IPV4_SERVSOCK, server.type());
        assertArrayEquals(LO, server.sip());
        assertEquals(8080, server.sport());
        assertEquals(ScapHead.Fd.L4_TCP, server.l4proto());
        ScapHead.Fd conn = entry("socket:[2]", 2, 2, inet, Map.of());
        assertEquals(ScapHead.Fd.IPV4_SOCK, conn.type());
        assertArrayEquals(LO, conn.sip());
        assertArrayEquals(LO, conn.dip());
        assertEquals(50000, conn.sport());
        assertEquals(8080, conn.dport());
        ScapHead.Fd udp6 = entry("socket:[3]", 3, 2, inet, Map.of());
        assertEquals(ScapHead.Fd.IPV6_SERVSOCK, udp6.type());
        assertEquals(ScapHead.Fd.L4_UDP, udp6.l4proto());
        assertEquals(ScapHead.Fd.IPV6_SOCK, entry("socket:[4]", 4, 2, inet, Map.of()).type(),
                "only one end mapped: stays IPv6");
        ScapHead.Fd unix = entry("socket:[9]", 9, 2, inet, Map.of(9L, "/run/x.sock"));
        assertEquals(ScapHead.Fd.UNIX_SOCK, unix.type());
        assertEquals("/run/x.sock", unix.name());
        assertNull(entry("socket:[10]", 10, 2, inet, Map.of()), "a socket of no table here (netlink, other netns)");
    }

    @Test
    void filesDirectoriesPipesAndAnonymousInodes() {
        ScapHead.Fd file = entry("/var/log/x", 5, 02000001, Map.of(), Map.of()); // O_WRONLY|O_CLOEXEC
        assertEquals(ScapHead.Fd.FILE_V2, file.type());
        assertEquals(2 | 4096, file.openFlags());
        assertEquals(0x803, file.dev());
        assertEquals(ScapHead.Fd.DIRECTORY, entry("/etc", 5, 0200000, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.FIFO, entry("pipe:[77]", 77, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.EVENTPOLL, entry("anon_inode:[eventpoll]", 1, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.EVENT, entry("anon_inode:[eventfd]", 1, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.INOTIFY, entry("anon_inode:inotify", 1, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.TIMERFD, entry("anon_inode:[timerfd]", 1, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.SIGNALFD, entry("anon_inode:[signalfd]", 1, 0, Map.of(), Map.of()).type());
        assertEquals(ScapHead.Fd.UNSUPPORTED, entry("anon_inode:bpf-prog", 1, 0, Map.of(), Map.of()).type());
    }

    @Test
    void openFlagsUseLibscapsNumbers() {
        assertEquals(1, PpmFlags.openFlags(0));                       // O_RDONLY
        assertEquals(1 | 4096, PpmFlags.openFlags(02000000));          // the sample's 4097(O_RDONLY|O_CLOEXEC)
        assertEquals(3 | 4 | 256, PpmFlags.openFlags(2 | 0100 | 01000)); // O_RDWR|O_CREAT|O_TRUNC
        assertEquals(2 | 8 | 64 | 2048, PpmFlags.openFlags(1 | 02000 | 04000 | 0100000));
        assertEquals(1 | 16 | 128, PpmFlags.openFlags(04010000));     // O_SYNC carries O_DSYNC's bit
        assertEquals(1 | 1024, PpmFlags.openFlags(0200000));           // O_DIRECTORY
        assertEquals(3 | 8192, PpmFlags.openFlags(2 | 020200000));     // O_TMPFILE, not O_DIRECTORY
    }

    @Test
    void netmasksFromPrefixLengths() {
        assertArrayEquals(new byte[]{-1, 0, 0, 0}, HostSnapshot.netmask(4, 8));
        assertArrayEquals(new byte[]{-1, -1, -16, 0}, HostSnapshot.netmask(4, 20));
        assertArrayEquals(new byte[]{-1, -1, -1, -1}, HostSnapshot.netmask(4, 32));
        byte[] v6 = HostSnapshot.netmask(16, 64);
        assertEquals(-1, v6[7]);
        assertEquals(0, v6[8]);
    }

    @Test
    void cgroupLinesBecomeSubsysEqualsPathItemsWithTheUnifiedLineOncePerController() throws IOException {
        Files.writeString(tmp.resolve("cgroup.controllers"), "cpuset cpu memory\n");
        HostSnapshot s = new HostSnapshot(new ProcFs(tmp), tmp, tmp);
        assertEquals("cpuset=/a.slice\0cpu=/a.slice\0memory=/a.slice\0",
                new String(s.cgroups("0::/a.slice\n"), StandardCharsets.ISO_8859_1));
        assertEquals("cpu=/d\0cpuacct=/d\0name=systemd=/s\0",
                new String(s.cgroups("4:cpu,cpuacct:/d\n1:name=systemd:/s\n"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void usersAndGroupsFromEtcKeepTheirUtf8Names() throws IOException {
        Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nbad line\n"
                + "zoë:x:1001:1001::/home/zoë:/bin/sh\n", StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("group"), "root:x:0:\nwheel:x:10:zoë\n");
        HostSnapshot s = new HostSnapshot(new ProcFs(tmp), tmp, tmp);
        assertEquals(List.of(new ScapHead.User(0, 0, "root", "/root", "/bin/bash"),
                new ScapHead.User(1001, 1001, "zoë", "/home/zoë", "/bin/sh")), s.users());
        assertEquals(List.of(new ScapHead.Group(0, "root"), new ScapHead.Group(10, "wheel")), s.groups());
    }
}
