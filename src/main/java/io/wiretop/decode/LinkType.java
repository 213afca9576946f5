// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

/** The pcap link-layer types wiretop reads and writes (LINKTYPE_* values from the pcap registry). */
public final class LinkType {
    /** Ethernet frames; also used with a fake 14-byte header for L3 captures, as ptcpdump does. */
    public static final int ETHERNET = 1;
    /** Raw IPv4/IPv6 packets starting at the IP header (what cgroup_skb sees). */
    public static final int RAW = 101;
    /** Linux "cooked" capture v1 (tcpdump -i any). */
    public static final int LINUX_SLL = 113;
    /** Linux "cooked" capture v2 (tcpdump -i any since libpcap 1.10). */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** True for the link types {@link PacketDecoder} decodes; packets of others are shown undecoded. */
    public static boolean decoded(int linkType) {
        return linkType == ETHERNET || linkType == RAW || linkType == LINUX_SLL || linkType == LINUX_SLL2;
    }

    /**
     * The largest packet a capture of this link type may hold, as libpcap's max_snaplen_for_dlt:
     * a longer record in a file is damage, not a packet (D-Bus, USBPcap and EBHSCR allow more).
     */
    public static int maxSnaplen(int linkType) {
        return switch (linkType) {
            case 231 -> 128 * 1024 * 1024; // LINKTYPE_DBUS
            case 249 -> 1024 * 1024;       // LINKTYPE_USBPCAP
            case 279 -> 8 * 1024 * 1024;   // LINKTYPE_EBHSCR
            default -> 262144;
        };
    }

    /** tcpdump's description, e.g. "EN10MB (Ethernet)". */
    public static String describe(int linkType) {
        return switch (linkType) {
            case ETHERNET -> "EN10MB (Ethernet)";
            case RAW -> "RAW (Raw IP)";
            case LINUX_SLL -> "LINUX_SLL (Linux cooked v1)";
            case LINUX_SLL2 -> "LINUX_SLL2 (Linux cooked v2)";
            default -> "linktype " + linkType;
        };
    }
}
