// SPDX-License-Identifier: Apache-2.0
package io.wiretop.capture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java offsets must be the ones bpf/wire.h asserts, so the two cannot drift apart. */
class WireLayoutTest {
    @Test
    void javaOffsetsMatchTheStaticAssertsOfWireH() throws Exception {
        String h = Files.readString(Path.of("bpf/wire.h"));
        Map<String, Integer> c = new HashMap<>();
        Matcher size = Pattern.compile("sizeof\\(struct (\\w+)\\) == (\\d+)").matcher(h);
        while (size.find()) {
            c.put(size.group(1), Integer.parseInt(size.group(2)));
        }
        Matcher off = Pattern.compile("offsetof\\(struct (\\w+), (\\w+)\\) == (\\d+)").matcher(h);
        while (off.find()) {
            c.put(off.group(1) + "." + off.group(2), Integer.parseInt(off.group(3)));
        }
        Map<String, Integer> java = Map.ofEntries(
                Map.entry("wt_conn_key", WireLayout.CONN_KEY_SIZE),
                Map.entry("wt_conn_val", WireLayout.CONN_VAL_SIZE),
                Map.entry("wt_conn_val.family", WireLayout.CONN_VAL_FAMILY),
                Map.entry("wt_conn_val.proto", WireLayout.CONN_VAL_PROTO),
                Map.entry("wt_conn_val.flags", WireLayout.CONN_VAL_FLAGS),
                Map.entry("wt_conn_val.lport", WireLayout.CONN_VAL_LPORT),
                Map.entry("wt_conn_val.rport", WireLayout.CONN_VAL_RPORT),
                Map.entry("wt_conn_val.laddr", WireLayout.CONN_VAL_LADDR),
                Map.entry("wt_conn_val.raddr", WireLayout.CONN_VAL_RADDR),
                Map.entry("wt_slot", WireLayout.SLOT_SIZE),
                Map.entry("wt_slot.start_ns", WireLayout.SLOT_START_NS),
                Map.entry("wt_slot.tgid", WireLayout.SLOT_TGID),
                Map.entry("wt_slot.rport", WireLayout.SLOT_RPORT),
                Map.entry("wt_slot.bytes_in", WireLayout.SLOT_BYTES_IN),
                Map.entry("wt_wire_val", WireLayout.WIRE_VAL_SIZE),
                Map.entry("wt_sys_key", WireLayout.SYS_KEY_SIZE),
                Map.entry("wt_file_key", WireLayout.FILE_KEY_SIZE),
                Map.entry("wt_file_val", WireLayout.FILE_VAL_SIZE),
                Map.entry("wt_file_val.last_fd", WireLayout.FILE_VAL_LAST_FD),
                Map.entry("wt_proc_event", WireLayout.PROC_EVENT_SIZE),
                Map.entry("wt_proc_event.start_ns", WireLayout.PROC_EVENT_START_NS),
                Map.entry("wt_proc_event.ts_ns", WireLayout.PROC_EVENT_TS_NS),
                Map.entry("wt_proc_event.exit_code", WireLayout.PROC_EVENT_EXIT_CODE),
                Map.entry("wt_proc_event.args_len", WireLayout.PROC_EVENT_ARGS_LEN),
                Map.entry("wt_proc_event.comm", WireLayout.PROC_EVENT_COMM),
                Map.entry("wt_proc_event.args", WireLayout.PROC_EVENT_ARGS));
        for (Map.Entry<String, Integer> e : java.entrySet()) {
            assertTrue(c.containsKey(e.getKey()), "wire.h asserts nothing about " + e.getKey());
            assertEquals(c.get(e.getKey()), e.getValue(), e.getKey());
        }
    }
}
