// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/** The few libc calls the BPF side needs (formatting libbpf's log, opening cgroup directories). */
public interface LibC {
    int vsnprintf(@Out byte[] buf, @size_t long size, Pointer format, Pointer vaList);

    int open(String path, int flags);

    int close(int fd);

    /** The Pointer/off_t form: jnr-ffi 2.2.17 marshals an all-long mmap signature wrongly (kernel-facts.md §6). */
    Pointer mmap(Pointer addr, @size_t long len, int prot, int flags, int fd, @off_t long off);

    int munmap(Pointer addr, @size_t long len);
}
