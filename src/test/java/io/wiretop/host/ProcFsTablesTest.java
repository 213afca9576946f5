// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcFs's socket tables and thread status on a fake /proc tree written as the kernel writes it. */
class ProcFsTablesTest {
    @TempDir
    Path proc;

    private static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";

    private void write(String rel, String text) throws IOException {
        Path p = proc.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void inetSocketsComeBackInNetworkOrderWithHostOrderPorts() throws IOException {
        write("net/tcp", TCP_HEADER
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0\n"
                + "   1: 0500000A:C350 0900000A:0050 01 00000000:00000000 00:00000000 00000000  1000        0 112 1 0 20 4 30 10 -1\n"
                + "   2: garbage\n");
        write("net/tcp6", TCP_HEADER
                + "   0: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000"
                + " 00:00000000 00000000     0        0 113 1 0 100 0 0 10 0\n");
        write("net/udp", TCP_HEADER
                + "   5: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 114 2 0 0\n");
        write("net/udp6", TCP_HEADER
                + "   6: 00000000000000000000000001000000:0035 00000000000000000000000001000000:A000 01 00000000:00000000"
                + " 00:00000000 00000000     0        0 115 2 0 0\n");
        Map<Long, InetSocket> s = new ProcFs(proc).inetSockets();
        assertEquals(Set.of(111L, 112L, 113L, 114L, 115L), s.keySet());
        InetSocket listen = s.get(111L);
        assertArrayEquals(new byte[]{127, 0, 0, 1}, listen.localAddr());
        assertEquals(8080, listen.localPort());
        assertTrue(listen.tcp());
        assertTrue(listen.isServer());
        InetSocket conn = s.get(112L);
        assertArrayEquals(new byte[]{10, 0, 0, 5}, conn.localAddr());
        assertEquals(50000, conn.localPort());
        assertArrayEquals(new byte[]{10, 0, 0, 9}, conn.remoteAddr());
        assertEquals(80, conn.remotePort());
        assertFalse(conn.isServer());
        InetSocket mapped = s.get(113L);
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1}, mapped.localAddr());
        assertTrue(mapped.isIpv6());
        InetSocket udp = s.get(114L);
        assertFalse(udp.tcp());
        assertTrue(udp.isServer(), "an unconnected UDP socket has a local end only");
        InetSocket udp6 = s.get(115L);
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, udp6.remoteAddr());
        assertEquals(0xA000, udp6.remotePort());
        assertFalse(udp6.isServer());
        assertEquals(Set.of(8080, 8081), new ProcFs(proc).listeningTcpPorts());
    }

    @Test
    void unixSocketsByInodeWithTheirPaths() throws IOException {
        write("net/unix", "Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "ffff8f0a00000000: 00000002 00000000 00010000 0001 01 23456 /run/a socket\n"
                + "ffff8f0a00000001: 00000003 00000000 00000000 0001 03 23457\n");
        Map<Long, String> u = new ProcFs(proc).unixSockets();
        assertEquals(Map.of(23456L, "/run/a socket", 23457L, ""), u);
    }

    @Test
    void taskStatusTakesStatAndStatusFields() throws IOException {
        write("10/task/11/stat", "11 (a b) c) S 1 7 8 0 -1 4194304 55 0 66 0 3 4 0 0 20 0 1 0 100 2097152 128\n");
        write("10/task/11/status", "Name:\ta b) c\nTgid:\t10\nNStgid:\t10\t2\nPid:\t11\nNSpid:\t11\t3\nPPid:\t1\n"
                + "Uid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nVmSize:\t    2048 kB\nVmRSS:\t     512 kB\n");
        write("10/task/11/comm", "a b) c\n");
        write("10/limits", "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max open files            1024                 524288               files     \n");
        ProcFs fs = new ProcFs(proc);
        TaskStatus t = fs.taskStatus(10, 11);
        assertEquals(new TaskStatus(10, 1, 8, 7, 1000, 100, 3, 2, 2048, 512, 0, 55, 66, 3, 4), t);
        assertEquals("a b) c", fs.taskComm(10, 11));
        assertEquals(1024, fs.openFilesLimit(10));
        assertNull(fs.taskStatus(10, 12), "a thread that is gone");
        assertEquals(0, ProcFs.bracketNumber("anon_inode:[eventpoll]"));
        assertEquals(4242, ProcFs.bracketNumber("socket:[4242]"));
    }
}
