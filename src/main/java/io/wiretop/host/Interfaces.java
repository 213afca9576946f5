// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network interfaces by name, as /sys/class/net describes them: index, and how many bytes of
 * link-layer header a tc hook finds in front of the IP header.
 */
public final class Interfaces {
    private static final int ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772;

    private Interfaces() {
    }

    /** The interface's index; an IOException with one sentence when it does not exist. */
    public static int index(String name) throws IOException {
        String s = sys(name, "ifindex");
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IOException(name + ": unreadable interface index \"" + s + "\"");
        }
    }

    /** 14 for Ethernet and loopback devices (lo carries zeroed MAC addresses), 0 for IP-only devices (tun, wireguard). */
    public static int linkHeaderLength(String name) throws IOException {
        int type = Integer.parseInt(sys(name, "type"));
        return type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK ? 14 : 0;
    }

    private static String sys(String name, String attr) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IOException(name + ": No such device exists");
        }
        try {
            return Files.readString(Path.of("/sys/class/net", name, attr)).strip();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(name + ": No such device exists");
        }
    }
}
