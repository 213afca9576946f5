// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where the metrics endpoint listens: {@code ADDR:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} for
 * every address. Host names other than {@code localhost} are refused rather than looked up: a name
 * would mean a DNS query at start, and a name that resolves elsewhere cannot be bound anyway.
 * Port 0 binds a free port (the bound one is printed at start).
 *
 * @param text    what was given
 * @param address the address to bind, or null for every address
 * @param port    0 to 65535
 */
public record ListenAddress(String text, InetAddress address, int port) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,9}");

    /** Parses the option's value; the exception's message says what is wrong, without the option's name. */
    public static ListenAddress parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0 || (s.startsWith("[") && colon < s.indexOf(']'))) {
            throw new IllegalArgumentException("give ADDR:PORT (e.g. 127.0.0.1:9435, or :9435 for every address)");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("the port is 0 to 65535");
        }
        return new ListenAddress(s, address(host), Integer.parseInt(port));
    }

    private static InetAddress address(String host) {
        try {
            if (host.isEmpty() || host.equals("*")) {
                return null;
            }
            if (host.equals("localhost")) {
                return InetAddress.getLoopbackAddress();
            }
            if (IPV4.matcher(host).matches()) {
                return InetAddress.getByName(host); // a literal: no lookup
            }
            if (host.startsWith("[") && host.endsWith("]") && host.length() > 2
                    && host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?")) {
                return InetAddress.getByName(host.substring(1, host.length() - 1));
            }
        } catch (UnknownHostException | SecurityException e) {
            // a malformed literal: said below
        }
        throw new IllegalArgumentException("not an IP address (host names are not looked up: give e.g. 127.0.0.1, [::1], "
                + "or :PORT for every address)");
    }

    /** The address as a URL's host part, for the line printed at start. */
    public String urlHost() {
        if (address == null) {
            return "0.0.0.0";
        }
        String a = address.getHostAddress();
        return a.contains(":") ? "[" + a.replaceAll("%.*", "") + "]" : a;
    }
}
