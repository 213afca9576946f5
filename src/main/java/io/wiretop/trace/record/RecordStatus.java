// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import io.wiretop.text.SafeText;

import java.nio.file.Path;

/**
 * A recording as it stands, immutable: what the TUI header and the end summary show.
 *
 * @param file    the file being written (the last one once ended)
 * @param files   files begun so far (more than 1 when rotating)
 * @param events  events written, in all files
 * @param bytes   bytes on disk, in all files (compressed for gzip)
 * @param lost    events the kernel dropped, all CPUs together
 * @param running false once the recording has ended (stopped, at a limit, or failed)
 * @param error   why it failed, one line (null when it did not)
 */
public record RecordStatus(Path file, int files, long events, long bytes, long lost, boolean running, String error) {
    /** The summary line: {@code N events, B bytes written to FILE, L lost} (the name escaped). */
    public String summary() {
        return events + " events, " + bytes + " bytes written to " + SafeText.escape(file.toString())
                + (files > 1 ? " (" + files + " files)" : "") + ", " + lost + " lost";
    }
}
