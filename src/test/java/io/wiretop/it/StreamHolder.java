// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import io.wiretop.events.EventSelection;
import io.wiretop.events.SyscallStream;

import java.util.Set;

/** A process that opens the syscall stream, says "open" and waits to be killed (SyscallStreamKernelIT). */
public final class StreamHolder {
    private StreamHolder() {
    }

    public static void main(String[] args) throws Exception {
        SyscallStream s = SyscallStream.open(EventSelection.processes(Set.of(), EventSelection.DEFAULT_SNAP));
        System.out.println("open");
        System.out.flush();
        Thread.sleep(60_000);
        s.close();
    }
}
