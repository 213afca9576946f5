// SPDX-License-Identifier: Apache-2.0
/**
 * Exporters: what wiretop hands to monitoring systems. {@link io.wiretop.export.MetricsExporter}
 * follows an engine's immutable snapshots (never the engine's state), folds each interval into
 * monotonic counters ({@link io.wiretop.export.Ledger}) and serves them in the Prometheus text and
 * OpenMetrics formats through the Prometheus Java client, which does the exposition's escaping.
 */
package io.wiretop.export;
