// SPDX-License-Identifier: Apache-2.0
package io.wiretop.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local user and group databases, /etc/passwd and /etc/group, read as they are on disk
 * (bytes kept as ISO-8859-1 chars so no name is altered). Malformed lines are skipped; a missing
 * file reads as empty.
 */
public final class Accounts {
    /** One /etc/passwd line. */
    public record User(long uid, long gid, String name, String home, String shell) {
    }

    /** One /etc/group line. */
    public record Group(long gid, String name) {
    }

    private Accounts() {
    }

    public static List<User> users(Path passwd) {
        List<User> out = new ArrayList<>();
        for (String line : lines(passwd)) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try {
                    out.add(new User(Long.parseLong(f[2]), f.length > 3 ? number(f[3]) : -1, f[0],
                            f.length > 5 ? f[5] : "", f.length > 6 ? f[6] : ""));
                } catch (NumberFormatException e) {
                    // a line without a numeric uid names nobody
                }
            }
        }
        return out;
    }

    public static List<Group> groups(Path group) {
        List<Group> out = new ArrayList<>();
        for (String line : lines(group)) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try {
                    out.add(new Group(Long.parseLong(f[2]), f[0]));
                } catch (NumberFormatException e) {
                    // a malformed line names no group
                }
            }
        }
        return out;
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> lines(Path p) {
        try {
            return List.of(Files.readString(p, StandardCharsets.ISO_8859_1).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
