// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wiretop.decode.CapturedPacket;
import io.wiretop.decode.Direction;
import io.wiretop.decode.LinkType;
import io.wiretop.decode.ProcessContext;
import io.wiretop.model.Cleanup;
import io.wiretop.model.KernelSample;
import io.wiretop.model.ProcessId;
import io.wiretop.model.ProcessInfo;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one packet does to the fold: its connection, direction, length and process. */
class PacketFoldTest {
    private static final byte[] A = Frames.ip(10, 0, 0, 1), B = Frames.ip(10, 0, 0, 2);

    private static CapturedPacket packet(byte[] frame, Direction dir, List<String> comments) {
        return new CapturedPacket(0, "eth0", LinkType.ETHERNET, frame, frame.length, dir,
                ProcessContext.fromComments(comments), comments);
    }

    @Test
    void packetsWithoutADirectionJoinTheirConnectionEitherWayRound() {
        PacketFold fold = new PacketFold();
        long c1 = fold.add(packet(Frames.tcp4(A, 1000, B, 80, 0x18, 10), Direction.UNKNOWN, List.of())).cookie();
        long c2 = fold.add(packet(Frames.tcp4(B, 80, A, 1000, 0x18, 30), Direction.UNKNOWN, List.of())).cookie();
        long c3 = fold.add(packet(Frames.tcp4(A, 1000, B, 80, 0x18, 5), Direction.UNKNOWN, List.of())).cookie();
        assertEquals(List.of(c1, c1), List.of(c2, c3), "one connection");
        KernelSample s = fold.sample();
        assertEquals(1, s.conns().size());
        KernelSample.Conn c = s.conns().get(0);
        assertEquals(List.of("10.0.0.1", 1000, "10.0.0.2", 80), List.of(
                io.wiretop.decode.Ip.text(c.laddr()), c.lport(), io.wiretop.decode.Ip.text(c.raddr()), c.rport()),
                "the first packet's source is the local end");
        KernelSample.Wire w = s.wire().get(0);
        assertEquals(List.of(40L + 30, 40L + 10 + 40 + 5, 1L, 2L), List.of(w.bytesIn(), w.bytesOut(), w.pktsIn(), w.pktsOut()));
        assertEquals(new ProcessId(0, 0), w.id(), "no comments: unattributed");
    }

    @Test
    void aForgottenConnectionIsNoLongerSampledAndComesBackUnderANewCookie() {
        PacketFold fold = new PacketFold();
        List<String> ctx = List.of("PID: 5\nCmd: /bin/x\nArgs: x");
        long c1 = fold.add(packet(Frames.tcp4(A, 1000, B, 80, 0x18, 10), Direction.OUT, ctx)).cookie();
        long c2 = fold.add(packet(Frames.tcp4(A, 1001, B, 80, 0x18, 10), Direction.OUT, ctx)).cookie();
        fold.forget(new Cleanup(List.of(), List.of(new Cleanup.ConnRef(new ProcessId(5, 0), c1)), List.of()));
        KernelSample s = fold.sample();
        assertEquals(List.of(c2), s.conns().stream().map(KernelSample.Conn::cookie).toList());
        assertEquals(List.of(c2), s.wire().stream().map(KernelSample.Wire::cookie).toList());
        fold.forget(new Cleanup(List.of(), List.of(new Cleanup.ConnRef(new ProcessId(6, 0), c2)), List.of()));
        assertEquals(1, fold.sample().conns().size(), "another process's entry of that cookie is not this one");
        long again = fold.add(packet(Frames.tcp4(A, 1000, B, 80, 0x18, 10), Direction.OUT, ctx)).cookie();
        assertEquals(true, again != c1 && again != c2, "a new cookie: " + again);
        assertEquals(50, fold.sample().wire().stream().filter(w -> w.cookie() == again).findFirst().orElseThrow().bytesOut());
    }

    @Test
    void rootIsUidZeroAndAProcessLearnsWhatLaterPacketsTell() {
        PacketFold fold = new PacketFold();
        fold.add(packet(Frames.udp4(A, 53, B, 5353, 1), Direction.OUT, List.of("PID: 9\nCmd: /usr/sbin/dnsd\nArgs:")));
        assertEquals(new ProcessInfo("dnsd", "dnsd", 0, -1, "", "host"), fold.read(new ProcessId(9, 0)));
        fold.add(packet(Frames.udp4(A, 53, B, 5353, 1), Direction.OUT, List.of("PID: 9\nCmd: /usr/sbin/dnsd\nArgs: dnsd -f",
                "UserId: 0", "ParentPID: 1\nParentCmd: /sbin/init\nParentArgs: init")));
        assertEquals(new ProcessInfo("dnsd", "dnsd -f", 1, 0, "0", "host"), fold.read(new ProcessId(9, 0)));
        fold.add(packet(Frames.udp4(A, 53, B, 5353, 1), Direction.OUT, List.of("PID: 9\nCmd: /usr/sbin/dnsd\nArgs: dnsd -f")));
        assertEquals(new ProcessInfo("dnsd", "dnsd -f", 1, 0, "0", "host"), fold.read(new ProcessId(9, 0)),
                "a packet that tells less forgets nothing");
        assertEquals(null, fold.read(new ProcessId(10, 0)));
    }

    @Test
    void wireLengthIsTheIpPacketWithoutLinkHeaderNorPadding() {
        byte[] headerOnly = Arrays.copyOf(Frames.udp4(A, 1, B, 2, 0), 60); // a 28-byte IP packet padded to 60
        assertEquals(28, PacketFold.wireLength(packet(headerOnly, Direction.OUT, List.of()),
                packet(headerOnly, Direction.OUT, List.of()).decode()));
        byte[] ip20 = Arrays.copyOf(Frames.udp4(A, 1, B, 2, 0), 60);
        ip20[16] = 0;
        ip20[17] = 20; // an IPv4 header alone: total length 20
        assertEquals(20, PacketFold.wireLength(packet(ip20, Direction.OUT, List.of()), packet(ip20, Direction.OUT, List.of()).decode()));
        byte[] noLength = Frames.tcp4(A, 1, B, 2, 0x10, 100);
        noLength[16] = 0;
        noLength[17] = 0; // a GSO packet over 64 KiB declares 0: the frame tells
        assertEquals(noLength.length - 14, PacketFold.wireLength(packet(noLength, Direction.OUT, List.of()),
                packet(noLength, Direction.OUT, List.of()).decode()));
    }
}
