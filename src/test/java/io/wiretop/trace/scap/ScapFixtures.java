// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The sample captures of {@code shared/fixtures/scap/} (beside the project, as in CI; a worktree
 * elsewhere sets {@code WIRETOP_SHARED} to the shared folder). Missing fixtures fail the tests,
 * they never skip them.
 */
public final class ScapFixtures {
    static final List<String> NAMES = List.of("curl_google", "single_ipv6_conn", "test_ipv6_client",
            "curl_google_comments");

    private ScapFixtures() {
    }

    public static Path path(String name) {
        String shared = System.getenv().getOrDefault("WIRETOP_SHARED", "../shared");
        Path p = Path.of(shared, "fixtures", "scap", name + ".scap");
        assertTrue(Files.isRegularFile(p), p.toAbsolutePath() + " missing: shared/ must sit beside the project"
                + " (or WIRETOP_SHARED name it)");
        return p;
    }

    /** The file as stored (gzip). */
    static byte[] gzipped(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file gunzipped: the plain .scap bytes. */
    public static byte[] plain(String name) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped(name)))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offsets of the blocks of a plain .scap (walking the length fields, no validation). */
    public static List<Integer> blockOffsets(byte[] plain) {
        List<Integer> r = new ArrayList<>();
        for (int at = 0; at + 8 <= plain.length; ) {
            r.add(at);
            at += Le.i32(plain, at + 4);
        }
        return r;
    }
}
