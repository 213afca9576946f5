// SPDX-License-Identifier: Apache-2.0
package io.wiretop.ui;

import io.wiretop.events.EventSelection;
import io.wiretop.trace.record.Recorder;

import java.nio.file.Path;

/**
 * How the UI starts a recording of what the current view selects: the directory its
 * {@code wiretop-YYYYmmdd-HHMMSS.scap} files go to, and the starter that opens the syscall stream
 * for a selection and hands it to a {@link Recorder} (the CLI wires the kernel's; tests a fake).
 * The recorder runs on its own thread, apart from the engine that feeds the table.
 */
public record RecordingSetup(Path dir, Starter starter) {
    /** Opens the stream for {@code selection} and starts recording it to {@code file}. */
    @FunctionalInterface
    public interface Starter {
        Recorder start(Path file, EventSelection selection) throws Exception;
    }
}
