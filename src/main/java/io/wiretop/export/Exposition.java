// SPDX-License-Identifier: Apache-2.0
package io.wiretop.export;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * What a scrape returns, immutable: the metrics as of one folded interval.
 *
 * @param view    1 for the first folded interval, then +1 per interval (0: none yet)
 * @param metrics the metric families
 * @param live    whether an interval has been folded (the health endpoint says ready from then on)
 */
public record Exposition(long view, MetricSnapshots metrics, boolean live) {
}
