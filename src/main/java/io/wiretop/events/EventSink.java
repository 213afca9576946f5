// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Receives the syscall stream's events one at a time, as they sit in the ring. */
@FunctionalInterface
public interface EventSink {
    /**
     * One event in scap's encoding (26-byte header, u16 parameter lengths, values; little-endian),
     * from the buffer's position to its limit; valid only during the call.
     */
    void event(int cpu, ByteBuffer event) throws IOException;
}
