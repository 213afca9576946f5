// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import sun.misc.Unsafe;

import java.lang.reflect.Field;

/**
 * Little-endian reads from native memory that wiretop maps itself (a BPF ring buffer's pages),
 * without a JNI or jnr-ffi call: at hundreds of thousands of records per second, every record is
 * read in place instead of being copied into a Java buffer first. Addresses must lie in a live
 * mapping; nothing is checked.
 */
public final class NativeMemory {
    static final Unsafe U = unsafe();

    private NativeMemory() {
    }

    public static long getLong(long address) {
        return U.getLong(address);
    }

    public static int getInt(long address) {
        return U.getInt(address);
    }

    public static short getShort(long address) {
        return U.getShort(address);
    }

    public static byte getByte(long address) {
        return U.getByte(address);
    }

    private static final long BUFFER_ADDRESS = bufferAddressOffset();

    /** The native address of a direct ByteBuffer's first byte. */
    public static long addressOf(java.nio.ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return U.getLong(direct, BUFFER_ADDRESS);
    }

    private static long bufferAddressOffset() {
        try {
            return U.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("java.nio.Buffer has no address field", e);
        }
    }

    /** Copies {@code n} bytes from native memory into {@code dst[off..]}. */
    public static void copy(long address, byte[] dst, int off, int n) {
        if (off < 0 || n < 0 || off + n > dst.length) {
            throw new IndexOutOfBoundsException("copy of " + n + " bytes at " + off + " into " + dst.length);
        }
        U.copyMemory(null, address, dst, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, n);
    }

    /** Copies {@code n} bytes of {@code src[off..]} to a native address. */
    public static void copy(byte[] src, int off, long address, int n) {
        if (off < 0 || n < 0 || off + n > src.length) {
            throw new IndexOutOfBoundsException("copy of " + n + " bytes at " + off + " from " + src.length);
        }
        U.copyMemory(src, Unsafe.ARRAY_BYTE_BASE_OFFSET + off, null, address, n);
    }

    /** Copies {@code n} bytes between native addresses. */
    public static void copy(long from, long to, long n) {
        U.copyMemory(from, to, n);
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Unsafe is not available", e);
        }
    }
}
