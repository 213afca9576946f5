// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Device indexes and names from the /proc/net tables of a process in another namespace (real samples). */
class NetnsDevicesTest {
    @Test
    void igmpIfInet6AndDevMcastName() {
        Map<Integer, String> m = new TreeMap<>();
        NetnsDevices.parse("""
                Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
                1\tlo        :     1      V3
                \t\t\t\t010000E0     1 0:00000000\t\t0
                4\teth0      :     1      V3
                \t\t\t\t010000E0     1 0:00000000\t\t0
                """, m, 0, 10, 1, true);
        NetnsDevices.parse("""
                fe8000000000000000fc00fffe000001 0b 40 20 80    veth9
                00000000000000000000000000000001 01 80 10 80       lo
                """, m, 1, 16, 5, false);
        NetnsDevices.parse("2    ifb0            1     0     333300000001\n", m, 0, 10, 1, false);
        assertEquals(Map.of(1, "lo", 2, "ifb0", 4, "eth0", 11, "veth9"), m);
    }

    @Test
    void theOwnNamespaceIsReadThroughAProcessInIt() {
        ProcFs fs = ProcFs.system();
        long self = ProcessHandle.current().pid();
        NetnsDevices d = new NetnsDevices(fs);
        // loopback is index 1 in every namespace
        assertEquals("lo", d.name(fs.netns(self), 1, self));
    }
}
