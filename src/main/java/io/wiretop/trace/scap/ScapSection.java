// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.List;
import java.util.Map;

/**
 * One section of a .scap file: its header and the state blocks written before its first event
 * (all optional: a section may hold a header and events only). {@code cat a.scap b.scap} makes a file
 * of two sections; the second one's threads and fds replace the first one's, as in libsinsp.
 *
 * @param offset      offset of the section header block
 * @param comments    pcapng {@code opt_comment} options of the header (editcap adds them; sysdig
 *                    0.29.3 refuses such a header, libs since 2025 skips them; wiretop reads them)
 * @param application pcapng {@code shb_userappl}, "" when absent
 * @param machine     null without a machine-info block
 * @param fds         the FD lists by thread id
 */
public record ScapSection(long offset, int major, int minor, List<String> comments, String application,
                          MachineInfo machine, List<ScapInterface> interfaces, List<ScapUser> users,
                          List<ScapThread> threads, Map<Long, List<ScapFd>> fds) {
    /** {@code major.minor}, e.g. 1.2. */
    public String version() {
        return major + "." + minor;
    }
}
