// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.util.HashMap;
import java.util.Map;

/**
 * Device names of other network namespaces (a container's eth0 or lo), by ifindex: a packet seen
 * there carries only the index, which means another device in wiretop's own namespace. Read from
 * /proc/[pid]/net/{igmp,if_inet6,dev_mcast} of a process inside the namespace, which list index and
 * name of every device with an address, as that process's namespace sees them. Cached per namespace;
 * a namespace is read again for an unknown index at most once a second. Confined to one thread.
 */
public final class NetnsDevices {
    private final ProcFs fs;
    private final Map<Long, Map<Integer, String>> names = new HashMap<>();
    private final Map<Long, Long> readAt = new HashMap<>();
    private final Map<Long, Long> member = new HashMap<>(); // netns → a pid inside it, last found

    public NetnsDevices(ProcFs fs) {
        this.fs = fs;
    }

    /**
     * The name of device {@code ifindex} in namespace {@code netns}, or null when no process inside it
     * could tell; {@code hintPid} (the packet's owner, or 0) is tried first.
     */
    public String name(long netns, int ifindex, long hintPid) {
        Map<Integer, String> known = names.get(netns);
        String n = known == null ? null : known.get(ifindex);
        if (n != null) {
            return n;
        }
        long now = System.nanoTime();
        Long at = readAt.get(netns);
        if (at != null && now - at < 1_000_000_000L) {
            return null;
        }
        readAt.put(netns, now);
        long pid = memberOf(netns, hintPid);
        if (pid <= 0) {
            return null;
        }
        Map<Integer, String> read = new HashMap<>();
        parse(fs.processFile(pid, "net/igmp"), read, 0, 10, 1, true);
        parse(fs.processFile(pid, "net/if_inet6"), read, 1, 16, 5, false);
        parse(fs.processFile(pid, "net/dev_mcast"), read, 0, 10, 1, false);
        if (names.size() > 4096) {
            names.clear();
        }
        names.put(netns, read);
        return read.get(ifindex);
    }

    private long memberOf(long netns, long hintPid) {
        if (hintPid > 0 && fs.netns(hintPid) == netns) {
            return hintPid;
        }
        Long last = member.get(netns);
        if (last != null && fs.netns(last) == netns) {
            return last;
        }
        for (long pid : fs.pids()) {
            if (fs.netns(pid) == netns) {
                member.put(netns, pid);
                return pid;
            }
        }
        return 0;
    }

    /**
     * Index/name pairs of one /proc/net table: whitespace-separated fields, the index in field
     * {@code idx} (in base {@code radix}: if_inet6's is hex), the name in field {@code name}; igmp has a header line and
     * group lines (starting with a tab) between devices.
     */
    static void parse(String text, Map<Integer, String> into, int idx, int radix, int name, boolean header) {
        if (text == null) {
            return;
        }
        boolean first = header;
        for (String line : text.split("\n")) {
            if (first) {
                first = false;
                continue;
            }
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                continue; // igmp: a multicast group of the device above
            }
            String[] f = line.trim().split("\\s+");
            if (f.length <= Math.max(idx, name)) {
                continue;
            }
            try {
                int i = Integer.parseInt(f[idx], radix);
                into.putIfAbsent(i, f[name]);
            } catch (NumberFormatException e) {
                // not a device line
            }
        }
    }
}
