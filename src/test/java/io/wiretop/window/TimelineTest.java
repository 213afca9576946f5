// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The merge of a window's syscalls and packets into one timeline. */
class TimelineTest {
    private static WindowEvent pkt(String name, long t) {
        return new WindowEvent(null, 0, 1, "c", -1, "", -1, name, t);
    }

    /** A syscall stand-in: an event that is no packet (the line says which). */
    private static WindowEvent sys(String name, long t) {
        return new WindowEvent(io.wiretop.window.TimelineTest.FAKE, 0, 1, "c", -1, "", -1, name, t);
    }

    static final io.wiretop.trace.scap.ScapEvent FAKE = fake();

    private static io.wiretop.trace.scap.ScapEvent fake() {
        // any decoded event: only its non-nullness matters to the timeline
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(26 + 2 + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 1).putLong(8, 1).putInt(16, 36).putShort(20, (short) 3).putInt(22, 1).putShort(26, (short) 8).putLong(28, 3);
        return io.wiretop.trace.scap.ScapEventDecoder.decode(0, b);
    }

    private static List<String> names(List<WindowEvent> l) {
        return l.stream().map(WindowEvent::line).toList();
    }

    @Test
    void lateSyscallsAndPacketsGoWhereTheirTimesPutThem() {
        List<WindowEvent> into = new ArrayList<>();
        assertEquals(0, Timeline.insert(into, List.of(sys("connect>", 10), sys("connect<", 40), sys("write>", 50),
                sys("write<", 70))));
        // the packets arrive later (the engine's interval), stamped inside the syscalls
        assertEquals(1, Timeline.insert(into, List.of(pkt("syn", 20), pkt("synack", 30), pkt("data", 60))));
        assertEquals(List.of("connect>", "syn", "synack", "connect<", "write>", "data", "write<"), names(into));
        // a syscall batch that is late too passes the packets after it, not the syscalls
        assertEquals(7, Timeline.insert(into, List.of(sys("close>", 80))));
        assertEquals(8, Timeline.insert(into, List.of(pkt("fin", 90))));
        assertEquals(8, Timeline.insert(into, List.of(sys("close<", 85))));
        assertEquals(List.of("connect>", "syn", "synack", "connect<", "write>", "data", "write<", "close>", "close<",
                "fin"), names(into));
    }

    @Test
    void equalTimesKeepTheirArrivalOrderAndSyscallsKeepTheStreamsOrder() {
        List<WindowEvent> into = new ArrayList<>();
        Timeline.insert(into, List.of(sys("a", 10), sys("b", 5))); // cross-CPU: the stream's order stays
        Timeline.insert(into, List.of(pkt("p", 10)));
        Timeline.insert(into, List.of(pkt("q", 10)));
        Timeline.insert(into, List.of(pkt("r", 7)));
        assertEquals(List.of("a", "b", "r", "p", "q"), names(into));
    }
}
