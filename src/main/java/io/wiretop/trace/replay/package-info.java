// SPDX-License-Identifier: Apache-2.0
/**
 * Replay of a .scap capture: the events fold into the tables libsinsp keeps (threads, processes,
 * fd tables with socket tuples and file names) and into the cumulative counters and /proc-like
 * scans the live kernel gives the {@link io.wiretop.model.Aggregator}, so that one aggregation
 * serves both live capture and replay ({@link io.wiretop.trace.replay.ScapFeed}).
 */
package io.wiretop.trace.replay;
