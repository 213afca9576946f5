// SPDX-License-Identifier: Apache-2.0
package io.wiretop.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every pkt _Static_assert in bpf/wire.h has the same value in {@link PktLayout}. */
class PktLayoutTest {
    private static final Map<String, Integer> JAVA = Map.ofEntries(
            Map.entry("sizeof(struct wt_pkt_owner)", PktLayout.OWNER_SIZE),
            Map.entry("wt_pkt_owner, tgid", PktLayout.OWNER_TGID),
            Map.entry("wt_pkt_owner, comm", PktLayout.OWNER_COMM),
            Map.entry("sizeof(struct wt_pkt_port_key)", PktLayout.PORT_KEY_SIZE),
            Map.entry("wt_pkt_port_key, netns", PktLayout.PORT_KEY_NETNS),
            Map.entry("wt_pkt_hdr, sk_cgroup", PktLayout.HDR_SK_CGROUP),
            Map.entry("wt_pkt_hdr, if_netns", PktLayout.HDR_IF_NETNS),
            Map.entry("sizeof(struct wt_pkt_cfg)", PktLayout.CFG_SIZE),
            Map.entry("wt_pkt_cfg, no_wire", PktLayout.CFG_NO_WIRE),
            Map.entry("wt_pkt_cfg, wakeup_bytes", PktLayout.CFG_WAKEUP_BYTES),
            Map.entry("wt_pkt_cfg, tc", PktLayout.CFG_TC),
            Map.entry("wt_pkt_cfg, cbpf", PktLayout.CFG_CBPF),
            Map.entry("sizeof(struct wt_cbpf_insn)", PktLayout.CBPF_INSN_SIZE),
            Map.entry("sizeof(struct wt_cbpf_prog)", PktLayout.CBPF_PROG_SIZE),
            Map.entry("sizeof(struct wt_flow_key)", PktLayout.FLOW_KEY_SIZE),
            Map.entry("sizeof(struct wt_pkt_hdr)", PktLayout.HDR_SIZE),
            Map.entry("wt_pkt_hdr, cookie", PktLayout.HDR_COOKIE),
            Map.entry("wt_pkt_hdr, start_ns", PktLayout.HDR_START_NS),
            Map.entry("wt_pkt_hdr, cgroup_id", PktLayout.HDR_CGROUP_ID),
            Map.entry("wt_pkt_hdr, tgid", PktLayout.HDR_TGID),
            Map.entry("wt_pkt_hdr, tid", PktLayout.HDR_TID),
            Map.entry("wt_pkt_hdr, uid", PktLayout.HDR_UID),
            Map.entry("wt_pkt_hdr, ifindex", PktLayout.HDR_IFINDEX),
            Map.entry("wt_pkt_hdr, len", PktLayout.HDR_LEN),
            Map.entry("wt_pkt_hdr, caplen", PktLayout.HDR_CAPLEN),
            Map.entry("wt_pkt_hdr, dir", PktLayout.HDR_DIR),
            Map.entry("wt_pkt_hdr, family", PktLayout.HDR_FAMILY),
            Map.entry("wt_pkt_hdr, l2len", PktLayout.HDR_L2LEN),
            Map.entry("wt_pkt_hdr, netns", PktLayout.HDR_NETNS),
            Map.entry("wt_pkt_hdr, comm", PktLayout.HDR_COMM),
            Map.entry("sizeof(struct wt_wire_val)", PktLayout.WIRE_VAL_SIZE),
            Map.entry("sizeof(struct wt_conn_key)", PktLayout.WIRE_KEY_SIZE));

    @Test
    void javaOffsetsEqualTheHeader() throws Exception {
        Path wire = Path.of("bpf/wire.h");
        String h = Files.readString(wire);
        Matcher m = Pattern.compile("_Static_assert\\((sizeof\\(struct \\w+\\)|__builtin_offsetof\\(struct (\\w+, \\w+)\\)) == (\\d+)")
                .matcher(h);
        int checked = 0;
        while (m.find()) {
            String key = m.group(2) != null ? m.group(2) : m.group(1);
            if (JAVA.containsKey(key)) {
                assertEquals(Integer.parseInt(m.group(3)), JAVA.get(key), key);
                checked++;
            }
        }
        assertEquals(JAVA.size(), checked, "every mirrored value has an assert in wire.h");
        assertTrue(h.contains("#define WT_PKT_MAX_SNAP " + PktLayout.MAX_SNAP));
        assertTrue(h.contains("#define WT_CBPF_MAX " + PktLayout.CBPF_MAX));
        assertTrue(h.contains("#define WT_PKT_UNDECIDED 0x" + Integer.toHexString(PktLayout.DIR_UNDECIDED)));
        assertTrue(h.contains("#define WT_PKT_STAT_FILTERED " + PktLayout.STAT_FILTERED));
        assertTrue(h.contains("#define WT_PKT_STAT_DEFERRED " + PktLayout.STAT_DEFERRED));
    }
}
