// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import io.wiretop.model.ProcEvent;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcEventDecoderTest {
    @Test
    void decodesAnExecRecordWithNulSeparatedArgv() {
        ByteBuffer b = ByteBuffer.allocate(WireLayout.PROC_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 1).putInt(4, 4242).putInt(8, 1).putInt(12, 1000);
        b.putLong(WireLayout.PROC_EVENT_START_NS, 123_456_789_000L);
        b.putLong(WireLayout.PROC_EVENT_TS_NS, 99L);
        byte[] args = "curl\0-s\0http://x/\0".getBytes(StandardCharsets.UTF_8);
        b.putInt(WireLayout.PROC_EVENT_ARGS_LEN, args.length);
        b.put(WireLayout.PROC_EVENT_COMM, "curl".getBytes(StandardCharsets.UTF_8));
        b.put(WireLayout.PROC_EVENT_ARGS, args);
        ProcEvent e = ProcEventDecoder.decode(b);
        assertEquals(ProcEvent.EXEC, e.type());
        assertEquals(4242, e.tgid());
        assertEquals(1000, e.uid());
        assertEquals(12345, e.startTicks(), "start time in /proc's 100 Hz ticks");
        assertEquals("curl", e.comm());
        assertEquals("curl -s http://x/", e.args());
    }

    @Test
    void rejectsATruncatedRecord() {
        assertThrows(IllegalArgumentException.class, () -> ProcEventDecoder.decode(ByteBuffer.allocate(100)));
    }
}
