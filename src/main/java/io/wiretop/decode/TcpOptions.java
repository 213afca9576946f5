// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import java.util.List;

/** TCP options in tcpdump's notation ("mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"). */
final class TcpOptions {
    private TcpOptions() {
    }

    /** @param ackBase the base subtracted from SACK edges (tcpdump prints them relative), 0 for absolute */
    static String format(List<Headers.TcpOption> opts, long ackBase) {
        StringBuilder s = new StringBuilder();
        for (Headers.TcpOption o : opts) {
            if (s.length() > 0) {
                s.append(',');
            }
            byte[] d = o.data();
            switch (o.kind()) {
                case 0 -> s.append("eol");
                case 1 -> s.append("nop");
                case 2 -> s.append(d.length == 2 ? "mss " + Bytes.u16(d, 0) : "mss [bad opt]");
                case 3 -> s.append(d.length == 1 ? "wscale " + Bytes.u8(d, 0) : "wscale [bad opt]");
                case 4 -> s.append("sackOK");
                case 5 -> {
                    s.append("sack ").append(d.length / 8).append(' ');
                    for (int i = 0; i + 8 <= d.length; i += 8) {
                        s.append('{').append((Bytes.u32(d, i) - ackBase) & 0xffffffffL).append(':')
                                .append((Bytes.u32(d, i + 4) - ackBase) & 0xffffffffL).append('}');
                    }
                }
                case 8 -> s.append(d.length == 8 ? "TS val " + Bytes.u32(d, 0) + " ecr " + Bytes.u32(d, 4) : "TS [bad opt]");
                case 30 -> s.append("mptcp");
                case 34 -> s.append("tfo");
                default -> s.append("unknown-").append(o.kind()).append(d.length > 0 ? " 0x" + hex(d) : "");
            }
        }
        return s.toString();
    }

    private static String hex(byte[] d) {
        StringBuilder s = new StringBuilder();
        for (byte b : d) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
