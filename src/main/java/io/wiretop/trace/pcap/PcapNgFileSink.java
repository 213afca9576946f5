// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.LinkType;
import io.wiretop.host.Interfaces;
import io.wiretop.host.ProcFs;
import io.wiretop.packet.PacketRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes captured packets to PcapNG with tcpdump's -C/-W rotation: an IDB per interface seen (written
 * again in each new file), ptcpdump comments per packet. "-" writes to stdout, flushed per packet.
 * Confined to the capture thread.
 */
public final class PcapNgFileSink implements AutoCloseable {
    private final String name;
    private final long rotateBytes;
    private final int fileCount;
    private final int snaplen;
    private final String filter;
    private final String userAppl;
    private final Map<String, Integer> ifIds = new LinkedHashMap<>();
    private final Map<String, String> ifComments = new LinkedHashMap<>();
    private PcapNgWriter w;
    private int fileIndex;
    private long packets;

    /**
     * @param rotateBytes rotate when a file exceeds this many bytes (0: never)
     * @param fileCount   with rotation, reuse this many file names in a ring (0: unlimited)
     */
    public PcapNgFileSink(String name, long rotateBytes, int fileCount, int snaplen, String filter, String userAppl)
            throws IOException {
        this.name = name;
        this.rotateBytes = rotateBytes;
        this.fileCount = fileCount;
        this.snaplen = snaplen;
        this.filter = filter;
        this.userAppl = userAppl;
        open();
    }

    /** The file name of rotation index i, as tcpdump names them. */
    String fileName(int i) {
        if (rotateBytes <= 0 && fileCount <= 0) {
            return name;
        }
        if (fileCount > 0) {
            int digits = String.valueOf(fileCount - 1).length();
            return name + String.format("%0" + digits + "d", i % fileCount);
        }
        return i == 0 ? name : name + i;
    }

    private java.nio.channels.FileChannel channel(int index) throws IOException {
        return java.nio.channels.FileChannel.open(Path.of(fileName(index)), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
    }

    private void open() throws IOException {
        if (w == null) {
            // stdout through its file descriptor, not System.out: a PrintStream swallows write errors,
            // and `capture -w - | head` must end when the reader goes away
            w = name.equals("-") ? new PcapNgWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out), userAppl)
                    : new PcapNgWriter(channel(fileIndex), userAppl); // PcapNgWriter buffers
        } else {
            int next = fileIndex;
            w.rotate(() -> channel(next)); // the same writer and buffers; files are closed and opened behind the capture
        }
        Map<String, String> known = new LinkedHashMap<>(ifComments);
        ifIds.clear();
        java.util.Arrays.fill(idByIfindex, -1);
        for (Map.Entry<String, String> e : known.entrySet()) {
            ifIds.put(e.getKey(), w.addInterface(io.wiretop.text.SafeText.escape(e.getKey()), LinkType.ETHERNET, snaplen,
                    e.getValue(), filter));
        }
        if (known.isEmpty()) {
            // the interfaces of this namespace, up front as ptcpdump and tcpdump do: a file that
            // ends up without packets still has an interface, which tcpdump -r requires
            for (String dev : localInterfaces()) {
                interfaceId(dev, LinkType.ETHERNET);
            }
        }
    }

    private static java.util.List<String> localInterfaces() {
        try {
            return java.net.NetworkInterface.networkInterfaces()
                    .sorted(java.util.Comparator.comparingInt(java.net.NetworkInterface::getIndex))
                    .map(java.net.NetworkInterface::getName).toList();
        } catch (java.net.SocketException e) {
            return java.util.List.of("lo");
        }
    }

    /** Writes one packet (rotating first when the current file is full). */
    public void write(CapturedPacket p) {
        try {
            rotateIfFull();
            w.write(interfaceId(p.ifName(), p.linkType()), p.tsNanos(), p.data(), 0, p.data().length, p.origLen(),
                    p.direction(), p.comments());
            written();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Writes one live record, without making a {@link CapturedPacket} of it. */
    public void write(PacketRecord r) {
        try {
            rotateIfFull();
            int ifindex = r.ifindex();
            long netns = r.ifNetns();
            int id;
            if (netns != 0 && netns != NETNS) {
                // a device of another namespace: its index means another device here
                id = interfaceId(r.ifName(), LinkType.ETHERNET, ifindex, netns);
            } else {
                id = ifindex >= 0 && ifindex < idByIfindex.length ? idByIfindex[ifindex] : -1;
                if (id < 0) {
                    id = interfaceId(r.ifName(), LinkType.ETHERNET);
                    if (ifindex >= 0 && ifindex < idByIfindex.length) {
                        idByIfindex[ifindex] = id;
                    }
                }
            }
            w.write(id, r);
            written();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private final int[] idByIfindex = new int[4096];

    private void rotateIfFull() throws IOException {
        if (rotateBytes > 0 && w.bytesWritten() >= rotateBytes && !name.equals("-")) {
            fileIndex++;
            open();
        }
    }

    private int interfaceId(String ifName, int linkType) throws IOException {
        Integer id = ifIds.get(ifName);
        if (id == null) {
            String comment = "ifIndex: " + ifIndex(ifName) + ", netNsInode: " + NETNS + ", netNsPath: /proc/self/ns/net";
            id = addInterface(ifName, linkType, comment);
        }
        return id;
    }

    /** The IDB of a device in another network namespace, named "dev@container" (ptcpdump's comment layout). */
    private int interfaceId(String ifName, int linkType, int ifindex, long netns) throws IOException {
        Integer id = ifIds.get(ifName);
        if (id == null) {
            id = addInterface(ifName, linkType, "ifIndex: " + ifindex + ", netNsInode: " + netns);
        }
        return id;
    }

    private int addInterface(String ifName, int linkType, String comment) throws IOException {
        ifComments.put(ifName, comment);
        // a container's name is part of the interface's: escaped like every text from a runtime
        int id = w.addInterface(io.wiretop.text.SafeText.escape(ifName), linkType, snaplen, comment, filter);
        ifIds.put(ifName, id);
        return id;
    }

    private void written() throws IOException {
        packets++;
        if (name.equals("-")) {
            w.flush();
        }
    }

    private UncheckedIOException failed(IOException e) {
        return new UncheckedIOException("cannot write " + fileName(fileIndex) + ": " + e.getMessage(), e);
    }

    private static final long NETNS = ProcFs.namespaceInode(Path.of("/proc/self/ns/net"));

    private static int ifIndex(String name) {
        try {
            return Interfaces.index(name);
        } catch (IOException e) {
            return 0; // a name seen in a file from another machine
        }
    }

    public long packets() {
        return packets;
    }

    @Override
    public void close() throws IOException {
        if (name.equals("-")) {
            w.flush();
        } else {
            w.close();
        }
    }
}
