// SPDX-License-Identifier: Apache-2.0
package io.wiretop.window;

import io.wiretop.trace.scap.ScapEvent;
import io.wiretop.trace.scap.ScapReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * The events of a selection in a replayed {@code .scap} file, read again on a {@link FileWindowSource}
 * thread with its own {@link ScapReader} and {@link SelectionFilter}.
 */
public final class ScapWindowSource extends FileWindowSource {
    private final Path file;
    private final WindowSelection selection;
    private final ZoneId zone;

    private ScapWindowSource(Path file, WindowSelection selection, ZoneId zone) {
        super("wiretop-window-replay");
        this.file = file;
        this.selection = selection;
        this.zone = zone;
    }

    /** Starts reading {@code file} for {@code selection}, Dig's times in {@code zone}. */
    public static ScapWindowSource start(Path file, WindowSelection selection, ZoneId zone) {
        ScapWindowSource s = new ScapWindowSource(file, selection, zone);
        s.begin();
        return s;
    }

    @Override
    void read() throws IOException {
        try (ScapReader r = ScapReader.open(file)) {
            SelectionFilter fold = new SelectionFilter(selection, r.section(), zone);
            int sections = r.sections();
            ScapEvent e;
            while (more() && (e = r.next()) != null) {
                if (r.sections() != sections) {
                    sections = r.sections();
                    fold.section(r.section());
                }
                WindowEvent w = fold.apply(e);
                if (w != null) {
                    keep(w);
                }
            }
        }
    }
}
