// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import io.wiretop.bpf.NativeMemory;
import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;

import java.util.List;

/**
 * One packet record of the kernel's ring buffer, read in place: a reused view, valid only inside
 * the callback that receives it. The hot path of a capture (pcapng writing, filtering) reads the
 * fields and copies the bytes it needs from here without allocating; {@link #toPacket()} makes an
 * immutable {@link CapturedPacket} for consumers that keep packets (the TUI, printing).
 * The packet is presented as an Ethernet frame: as the device carried it when a tc hook took it
 * from an Ethernet device, otherwise (cgroup_skb starts at the IP header; tun-like devices have no
 * link layer) behind ptcpdump's fake Ethernet header, so one link type covers every packet.
 */
public final class PacketRecord {
    /** Bytes of the fake Ethernet header in front of the IP packet. */
    public static final int ETH_LEN = 14;
    private static final byte[] FAKE_ETH_V4 = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00};
    private static final byte[] FAKE_ETH_V6 = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, (byte) 0x86, (byte) 0xdd};

    private long address;
    private int caplen;
    private int fakeEth; // ETH_LEN when the record starts at the IP header, 0 when it has its own link layer
    private long epochOffset;
    private String ifName;
    private ProcessContext context;
    private List<String> comments;

    PacketRecord() {
    }

    /** Points this view at a record; the caller has checked that the record holds a header. */
    void set(long address, int length, long epochOffset) {
        this.address = address;
        // never trust a length field past the record's own end
        this.caplen = Math.max(0, Math.min(NativeMemory.getInt(address + PktLayout.HDR_CAPLEN), length - PktLayout.HDR_SIZE));
        this.fakeEth = NativeMemory.getShort(address + PktLayout.HDR_L2LEN) == 0 ? ETH_LEN : 0;
        this.epochOffset = epochOffset;
        this.ifName = null;
        this.context = null;
        this.comments = null;
    }

    void setOwner(String ifName, ProcessContext context, List<String> comments) {
        this.ifName = ifName;
        this.context = context;
        this.comments = comments;
    }

    /** Capture time, nanoseconds since the Unix epoch. */
    public long tsNanos() {
        return NativeMemory.getLong(address + PktLayout.HDR_TS_NS) + epochOffset;
    }

    public int ifindex() {
        return NativeMemory.getInt(address + PktLayout.HDR_IFINDEX);
    }

    public String ifName() {
        return ifName;
    }

    public long cookie() {
        return NativeMemory.getLong(address + PktLayout.HDR_COOKIE);
    }

    long tgid() {
        return NativeMemory.getInt(address + PktLayout.HDR_TGID) & 0xffffffffL;
    }

    long tid() {
        return NativeMemory.getInt(address + PktLayout.HDR_TID) & 0xffffffffL;
    }

    long uid() {
        return NativeMemory.getInt(address + PktLayout.HDR_UID) & 0xffffffffL;
    }

    long startNs() {
        return NativeMemory.getLong(address + PktLayout.HDR_START_NS);
    }

    long cgroupId() {
        return NativeMemory.getLong(address + PktLayout.HDR_CGROUP_ID);
    }

    long netns() {
        return NativeMemory.getInt(address + PktLayout.HDR_NETNS) & 0xffffffffL;
    }

    /**
     * The cgroup v2 id of the packet's socket (its creator's; an accepted socket's is its listener's),
     * 0 without a socket: names the container of packets no process owns yet (a server's handshake).
     */
    long skCgroup() {
        return NativeMemory.getLong(address + PktLayout.HDR_SK_CGROUP);
    }

    /** The inode of the network namespace the packet was seen in (its device's), 0 when unknown. */
    public long ifNetns() {
        return NativeMemory.getInt(address + PktLayout.HDR_IF_NETNS) & 0xffffffffL;
    }

    /** The owner's kernel name (comm), decoded: only on a context-cache miss. */
    String comm() {
        byte[] b = new byte[PktLayout.COMM_LEN];
        NativeMemory.copy(address + PktLayout.HDR_COMM, b, 0, b.length);
        return io.wiretop.bpf.CString.decode(java.nio.ByteBuffer.wrap(b), 0, b.length);
    }

    public Direction direction() {
        return (NativeMemory.getByte(address + PktLayout.HDR_DIR) & ~PktLayout.DIR_UNDECIDED) == PktLayout.DIR_OUT
                ? Direction.OUT : Direction.IN;
    }

    /**
     * Whether the kernel's filter left this packet for user space to decide (its program read past
     * the bytes the kernel examines); false when the kernel accepted it or runs no filter.
     */
    public boolean filterUndecided() {
        return (NativeMemory.getByte(address + PktLayout.HDR_DIR) & PktLayout.DIR_UNDECIDED) != 0;
    }

    private boolean v6() {
        return NativeMemory.getByte(address + PktLayout.HDR_FAMILY) == 6;
    }

    /** Bytes of the frame as captured: the (fake) Ethernet header plus the captured part of the packet. */
    public int frameLength() {
        return fakeEth + caplen;
    }

    /** Length of the frame on the wire (Ethernet header included). */
    public int origLength() {
        return fakeEth + NativeMemory.getInt(address + PktLayout.HDR_LEN);
    }

    /** Copies the frame ({@link #frameLength()} bytes) into {@code dst[off..]}. */
    public void copyFrame(byte[] dst, int off) {
        if (fakeEth != 0) {
            System.arraycopy(v6() ? FAKE_ETH_V6 : FAKE_ETH_V4, 0, dst, off, ETH_LEN);
        }
        NativeMemory.copy(address + PktLayout.HDR_SIZE, dst, off + fakeEth, caplen);
    }

    /** Copies the frame to native memory of at least {@link #frameLength()} bytes. */
    public void copyFrame(long dst) {
        if (fakeEth != 0) {
            NativeMemory.copy(v6() ? FAKE_ETH_V6 : FAKE_ETH_V4, 0, dst, ETH_LEN);
        }
        NativeMemory.copy(address + PktLayout.HDR_SIZE, dst + fakeEth, caplen);
    }

    /** The process that sent or received the packet ({@link ProcessContext#NONE} when unknown). */
    public ProcessContext context() {
        return context;
    }

    /** ptcpdump's per-packet comments for the owner (one cached list per thread). */
    public List<String> comments() {
        return comments;
    }

    /** An immutable copy, for consumers that keep the packet. */
    public CapturedPacket toPacket() {
        byte[] data = new byte[frameLength()];
        copyFrame(data, 0);
        return new CapturedPacket(tsNanos(), ifName, LinkType.ETHERNET, data, origLength(), direction(), context,
                comments, cookie());
    }
}
