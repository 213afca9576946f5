// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.PacketPrinter;
import io.wiretop.decode.TcpdumpParityTest;
import io.wiretop.trace.pcap.PcapReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpcap filters through jnr-ffi select exactly what tcpdump selects with the same expression. */
class PcapFilterTest {
    @TempDir
    Path tmp;

    @Test
    void selectsWhatTcpdumpSelects() throws Exception {
        Path f = TcpdumpParityTest.sample(tmp);
        for (String expr : List.of("tcp", "udp port 53", "icmp or icmp6", "tcp[tcpflags] & tcp-syn != 0",
                "host ::1", "tcp port 8080 and greater 100", "not ip6", "udp and len < 80")) {
            List<String> expected = TcpdumpParityTest.tcpdump(f, expr);
            List<String> ours = new ArrayList<>();
            PacketPrinter pr = new PacketPrinter(new PacketPrinter.Options(false, false, false, false, ZoneId.of("UTC")));
            try (PcapReader r = new PcapReader(Files.newInputStream(f));
                 PcapFilter filter = PcapFilter.compile(expr, r.firstLinkType(), 262144)) {
                for (CapturedPacket p; (p = r.next()) != null; ) {
                    if (filter.matches(p.data(), p.origLen())) {
                        ours.add(pr.format(p)); // tcpdump too keeps seq state only for packets that pass
                    }
                }
            }
            ours.add("");
            assertTrue(expected.size() > 1, "expression " + expr + " selects something");
            assertEquals(expected, ours, expr);
        }
    }

    @Test
    void rawIpLinkTypeFiltersCgroupSkbPackets() {
        byte[] udp = {0x45, 0, 0, 29, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, 0x13, (byte) 0x88, 0, 53,
            0, 9, 0, 0, 'x'};
        try (PcapFilter dns = PcapFilter.compile("udp dst port 53", LinkType.RAW, 262144);
             PcapFilter tcp = PcapFilter.compile("tcp", LinkType.RAW, 262144)) {
            assertTrue(dns.matches(udp, udp.length));
            assertTrue(!tcp.matches(udp, udp.length));
            assertTrue(dns.instructions().length > 2);
        }
    }

    @Test
    void invalidExpressionIsOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PcapFilter.compile("tcp prot 80", LinkType.ETHERNET, 262144));
        assertTrue(e.getMessage().startsWith("invalid filter \"tcp prot 80\": "), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
