// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import java.nio.ByteBuffer;

/** Decides in user space whether one scap-encoded event (position to limit, left unchanged) is recorded. */
@FunctionalInterface
public interface EventPredicate {
    /** Every event. */
    EventPredicate ALL = e -> true;

    boolean test(ByteBuffer event);
}
