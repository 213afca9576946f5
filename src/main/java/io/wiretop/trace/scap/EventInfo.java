// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.util.List;

/**
 * What libs' event table says of one event id: name, category, parameters.
 *
 * @param category     {@code EC_*} name (e.g. {@code EC_NET}, {@code EC_IO_READ}, {@code EC_INTERNAL})
 * @param largePayload parameter lengths are u32 instead of u16 ({@code EF_LARGE_PAYLOAD})
 */
public record EventInfo(int id, String name, String category, boolean largePayload, List<String> paramNames,
                        List<ParamType> paramTypes) {
    /** Enter events have even ids (sysdig prints them with {@code >}), exits odd ones ({@code <}). */
    public boolean enter() {
        return (id & 1) == 0;
    }

    public int paramCount() {
        return paramNames.size();
    }
}
