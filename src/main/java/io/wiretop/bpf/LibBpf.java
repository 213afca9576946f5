// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * The libbpf 1.1 calls wiretop uses, bound with jnr-ffi. Only this package calls it.
 * Pointer-returning calls return null and set errno on failure (libbpf 1.x strict mode).
 */
public interface LibBpf {
    Pointer bpf_object__open_mem(Pointer objBuf, @size_t long size, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    String bpf_program__name(Pointer prog);

    Pointer bpf_program__attach(Pointer prog);

    Pointer bpf_program__attach_cgroup(Pointer prog, int cgroupFd);

    int bpf_link__destroy(Pointer link);

    int bpf_program__fd(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    /** Low-level link creation: libbpf 1.1 has no tcx API, but passes attach types it does not know through. */
    int bpf_link_create(int progFd, int targetFd, int attachType, Pointer opts);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    int bpf_map__fd(Pointer map);

    int bpf_map__max_entries(Pointer map);

    /** The initial value of an internal map (.rodata, .data) before load; its size goes to {@code size}. */
    Pointer bpf_map__initial_value(Pointer map, Pointer size);

    int bpf_map_lookup_elem(int fd, @In byte[] key, @Out byte[] value);

    int bpf_map_update_elem(int fd, @In byte[] key, @In byte[] value, long flags);

    int bpf_map_delete_elem(int fd, @In byte[] key);

    int bpf_map_lookup_and_delete_elem(int fd, @In byte[] key, @Out byte[] value);

    int bpf_map_get_next_key(int fd, @In byte[] key, @Out byte[] nextKey);

    int bpf_map_lookup_batch(int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values,
                             Pointer count, Pointer opts);

    int libbpf_num_possible_cpus();

    Pointer btf__load_vmlinux_btf();

    int btf__find_by_name_kind(Pointer btf, String name, int kind);

    void btf__free(Pointer btf);

    Pointer ring_buffer__new(int mapFd, RingBufferCallback cb, Pointer ctx, Pointer opts);

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    int ring_buffer__consume(Pointer rb);

    void ring_buffer__free(Pointer rb);

    Pointer libbpf_set_print(PrintCallback cb);

    /** libbpf's ring_buffer_sample_fn. */
    interface RingBufferCallback {
        @Delegate
        int call(Pointer ctx, Pointer data, @size_t long size);
    }

    /** libbpf's libbpf_print_fn_t; the va_list is formatted with libc vsnprintf. */
    interface PrintCallback {
        @Delegate
        int call(int level, Pointer format, Pointer vaList);
    }
}
