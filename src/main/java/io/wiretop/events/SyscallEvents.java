// SPDX-License-Identifier: Apache-2.0
package io.wiretop.events;

import io.wiretop.bpf.BpfException;

import java.io.IOException;

/**
 * The syscall event stream while something consumes it (a recording; Echo and Dig later): attached
 * when opened, selecting in the kernel, detached by {@link #close()}. One thread owns it.
 */
public interface SyscallEvents extends AutoCloseable {
    /** Hands every ready event to {@code sink}, waiting up to timeoutMillis for the first; returns how many. */
    int poll(int timeoutMillis, EventSink sink) throws IOException, BpfException;

    /** Changes which threads' syscalls leave the kernel, without detaching. */
    void select(EventSelection selection) throws BpfException;

    /** Events the kernel dropped (ring full), per CPU since open. */
    long[] lostPerCpu();

    /** Detaches every program and frees the ring. */
    @Override
    void close();
}
