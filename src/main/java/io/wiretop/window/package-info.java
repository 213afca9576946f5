// SPDX-License-Identifier: Apache-2.0
/**
 * Event windows (Echo, Dig, Spectrogram): the events of one selection (a process, a connection, a
 * file), delivered by a source thread in immutable batches, and the text each window makes of them.
 * Knows nothing about the terminal: the UI draws what these classes compute.
 */
package io.wiretop.window;
