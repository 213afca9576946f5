// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wiretop.host.ProcFs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owners of sockets that existed before capture, read from a fake /proc as the kernel writes it. */
class SocketSeederTest {
    @TempDir
    Path proc;

    private Path process(long pid, String comm) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        // starttime (field 22) is 4321 ticks
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4321 0 0\n");
        Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nUid:\t1000\t1000\t1000\t1000\n");
        Files.createDirectories(dir.resolve("ns"));
        Files.createSymbolicLink(dir.resolve("ns/net"), Path.of("net:[4026531840]"));
        Path task = Files.createDirectories(dir.resolve("task").resolve(Long.toString(pid)));
        Files.write(task.resolve("comm"), (comm + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return dir;
    }

    @Test
    void ownerRecordHoldsStartUidNetnsAndTheKernelsCommBytes() throws Exception {
        process(42, "caf\u00e9");
        byte[] o = SocketSeeder.ownerOf(new ProcFs(proc), 42);
        ByteBuffer b = ByteBuffer.wrap(o).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(PktLayout.OWNER_SIZE, o.length);
        assertEquals(4321L * 10_000_000L, b.getLong(PktLayout.OWNER_START_NS));
        assertEquals(42, b.getInt(PktLayout.OWNER_TGID));
        assertEquals(1000, b.getInt(PktLayout.OWNER_UID));
        assertEquals((int) 4026531840L, b.getInt(PktLayout.OWNER_NETNS));
        // the comm the kernel holds, byte for byte (0xe9), as bpf_get_current_comm would give it
        assertEquals("63 61 66 e9 00", hex(Arrays.copyOfRange(o, PktLayout.OWNER_COMM, PktLayout.OWNER_COMM + 5)));
    }

    @Test
    void aGoneProcessHasNoOwner() {
        assertNull(SocketSeeder.ownerOf(new ProcFs(proc), 43));
    }

    @Test
    void socketInodesMapToTheirProcess() throws Exception {
        Path fd = Files.createDirectories(process(42, "a").resolve("fd"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[777]"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("pipe:[778]"));
        Files.createSymbolicLink(fd.resolve("5"), Path.of("/etc/hosts"));
        assertEquals(Map.of(777L, 42L), SocketSeeder.socketInodes(new ProcFs(proc)));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(s.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
