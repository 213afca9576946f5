// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.host.CgroupV2;
import io.wiretop.host.ProcFs;
import io.wiretop.model.ProcStat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the owners of sockets that existed before capture started: socket cookies and inodes from
 * {@code ss -tuaneH} (iproute2's sock_diag dump), inodes to pids from /proc/[pid]/fd. The kernel
 * maps are then seeded so packets of old connections are attributed too. Used once at start.
 */
public final class SocketSeeder {
    /** A socket of a running process, with what the kernel maps need. */
    public record Seed(long cookie, int family, int proto, int localPort, boolean listening, byte[] owner) {
    }

    private SocketSeeder() {
    }

    /** Every TCP/UDP socket held by a process now; empty when ss is not installed. */
    public static List<Seed> scan() {
        Map<Long, String[]> byInode = ssSockets();
        ProcFs fs = ProcFs.system();
        Map<Long, Long> inodeToPid = socketInodes(fs);
        List<Seed> seeds = new ArrayList<>();
        Map<Long, byte[]> owners = new HashMap<>();
        for (Map.Entry<Long, String[]> e : byInode.entrySet()) {
            Long pid = inodeToPid.get(e.getKey());
            if (pid == null) {
                continue;
            }
            byte[] owner = owners.computeIfAbsent(pid, p -> ownerOf(fs, p));
            if (owner == null) {
                continue;
            }
            String[] f = e.getValue(); // netid, state, local, cookie
            String local = f[2];
            int port;
            try {
                port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
            } catch (NumberFormatException ex) {
                continue;
            }
            int family = local.startsWith("[") ? 10 : 2;
            seeds.add(new Seed(Long.parseUnsignedLong(f[3], 16), family, f[0].equals("tcp") ? 6 : 17, port,
                    f[1].equals("LISTEN") || f[1].equals("UNCONN"), owner));
        }
        return seeds;
    }

    /** ino → {netid, state, local address, cookie hex} from ss. */
    static Map<Long, String[]> ssSockets() {
        Map<Long, String[]> r = new HashMap<>();
        try {
            Process p = new ProcessBuilder("ss", "-tuaneH").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            parseSs(out, r);
        } catch (IOException e) {
            return r; // no iproute2: old connections stay unattributed until their owner sends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    static void parseSs(String out, Map<Long, String[]> into) {
        for (String line : out.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 6 || !(t[0].equals("tcp") || t[0].equals("udp"))) {
                continue;
            }
            long ino = -1;
            String cookie = null;
            for (String tok : t) {
                if (tok.startsWith("ino:")) {
                    ino = Long.parseLong(tok.substring(4));
                } else if (tok.startsWith("sk:")) {
                    cookie = tok.substring(3);
                }
            }
            if (ino > 0 && cookie != null) {
                into.put(ino, new String[]{t[0], t[1], t[4], cookie});
            }
        }
    }

    /** socket inode → pid, from every readable /proc/[pid]/fd. */
    static Map<Long, Long> socketInodes(ProcFs fs) {
        Map<Long, Long> r = new HashMap<>();
        for (long pid : fs.pids()) {
            for (String target : fs.fdTargets(pid).values()) {
                if (target.startsWith("socket:[")) {
                    r.putIfAbsent(ProcFs.bracketNumber(target), pid);
                }
            }
        }
        return r;
    }

    /** A struct wt_pkt_owner for a running process (tid 0: no thread is known), or null when it exited. */
    static byte[] ownerOf(ProcFs fs, long pid) {
        ProcStat st = fs.stat(pid);
        long uid = fs.uid(pid);
        long netns = fs.netns(pid);
        String comm = fs.taskComm(pid, pid); // the kernel's bytes, as ISO-8859-1 chars
        if (st == null || uid < 0 || netns == 0 || comm == null) {
            return null; // exited meanwhile
        }
        ByteBuffer b = ByteBuffer.allocate(PktLayout.OWNER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(PktLayout.OWNER_START_NS, st.startTicks() * 10_000_000L);
        b.putLong(PktLayout.OWNER_CGROUP_ID, CgroupV2.idOf(pid));
        b.putInt(PktLayout.OWNER_TGID, (int) pid);
        b.putInt(PktLayout.OWNER_UID, (int) uid);
        b.putInt(PktLayout.OWNER_NETNS, (int) netns);
        byte[] c = comm.getBytes(StandardCharsets.ISO_8859_1);
        b.position(PktLayout.OWNER_COMM);
        b.put(c, 0, Math.min(c.length, PktLayout.COMM_LEN - 1));
        return b.array();
    }
}
