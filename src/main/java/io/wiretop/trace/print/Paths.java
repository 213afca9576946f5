// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.print;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * libsinsp's path joining ({@code sinsp_utils::concatenate_paths} with
 * {@code copy_and_sanitize_path}): an absolute path stands alone, a relative one is appended to the
 * base directory; "." and ".." components and repeated slashes are folded.
 */
final class Paths {
    private Paths() {
    }

    static String join(String base, String path) {
        String whole = path.startsWith("/") ? path : (base.endsWith("/") ? base : base + "/") + path;
        Deque<String> parts = new ArrayDeque<>();
        for (String p : whole.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }
}
