// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import io.wiretop.host.ContainerIds;
import io.wiretop.text.SafeText;

import java.util.List;

/**
 * The syntax of the options that choose processes ({@code --pid}, {@code --pname},
 * {@code --container-id}), shared by {@code capture} and {@code record}: checked on the command line
 * alone, before anything is loaded (what they name on this machine is {@link LiveTargets}' part).
 */
final class ProcessOptions {
    /** PID_MAX_LIMIT on 64-bit Linux. */
    static final long HIGHEST_PID = 4_194_303;

    private ProcessOptions() {
    }

    /** Throws a {@link UsageError} for the first value that cannot name a process or container. */
    static void check(List<Long> pids, List<String> pnames, String containerId) {
        for (long pid : pids) {
            if (pid <= 0 || pid > HIGHEST_PID) {
                throw new UsageError("--pid " + pid + ": not a process id (1 to " + HIGHEST_PID + ")");
            }
        }
        for (String name : pnames) {
            if (name.isEmpty()) {
                throw new UsageError("--pname '': an empty process name matches nothing");
            }
        }
        if (containerId != null && !ContainerIds.isIdPrefix(containerId)) {
            throw new UsageError("--container-id " + SafeText.escape(containerId) + ": a container id is 1 to 64 hex digits");
        }
    }

    /** --container-name and --pod: a runtime's name is never empty, nor holds a control character or a backslash. */
    static void checkNames(String containerName, String pod) {
        checkName("--container-name", containerName);
        checkName("--pod", pod);
    }

    private static void checkName(String option, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            throw new UsageError(option + " '': an empty name matches nothing");
        }
        if (!SafeText.escape(value).equals(value)) {
            throw new UsageError(option + " " + SafeText.escape(value)
                    + ": not a name a runtime gives (it holds a control character or a backslash)");
        }
    }
}
