// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.scap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads from a byte array: libscap writes host order, and every writer in use is little-endian. */
final class Le {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {
    }

    static int u16(byte[] a, int at) {
        return (short) U16.get(a, at) & 0xffff;
    }

    static int i32(byte[] a, int at) {
        return (int) U32.get(a, at);
    }

    static long u32(byte[] a, int at) {
        return i32(a, at) & 0xffffffffL;
    }

    static long i64(byte[] a, int at) {
        return (long) U64.get(a, at);
    }
}
