// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

/**
 * What the metrics say and how many series they may have.
 *
 * @param pidTop   how many of the busiest processes get a series of their own (a {@code pid} label);
 *                 0: none, and no {@code pid} label at all
 * @param maxNames how many (comm, container) series a family may hold; the bytes of further names
 *                 go to comm {@value Ledger#OTHER_COMM} of their container
 * @param wire     whether WIRE counters are collected (the wire families are exposed)
 */
public record MetricsOptions(int pidTop, int maxNames, boolean wire) {
    /** The default of --metrics-max-names. */
    public static final int DEFAULT_MAX_NAMES = 1000;

    public MetricsOptions {
        if (pidTop < 0 || maxNames < 1) {
            throw new IllegalArgumentException("pidTop >= 0, maxNames >= 1");
        }
    }
}
