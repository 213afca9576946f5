// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import java.nio.ByteBuffer;

/** Receives one ring-buffer record (little-endian, valid only during the call) on the polling thread. */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(ByteBuffer record);
}
