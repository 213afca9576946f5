// SPDX-License-Identifier: Apache-2.0
package io.wiretop.bench.traces;

import io.wiretop.bpf.BpfException;
import io.wiretop.bpf.BpfObject;

import java.util.Arrays;
import java.util.List;

/**
 * bench/traces/run.sh's floor configurations: loads {@code /bpf/<object>.bpf.o} from the classpath,
 * attaches the named programs (the others are not loaded), and holds them until killed. The links
 * belong to this process, so the kernel drops them when it ends, however it ends.
 *
 * <p>Usage: {@code HoldHooks OBJECT PROGRAM...}; prints "attached" once every hook is in place.
 */
public final class HoldHooks {
    private HoldHooks() {
    }

    /** Entry point; exit 2 with one line on a wrong call or a refused load. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: HoldHooks OBJECT PROGRAM...");
            System.exit(2);
        }
        List<String> wanted = Arrays.asList(args).subList(1, args.length);
        try {
            BpfObject obj = BpfObject.open(args[0]);
            for (String p : List.of("null_sys_enter", "null_sys_exit")) {
                if (!wanted.contains(p)) {
                    obj.skipProgram(p);
                }
            }
            obj.load();
            for (String p : wanted) {
                obj.attach(p);
            }
        } catch (BpfException e) {
            System.err.println("HoldHooks: " + e.getMessage());
            System.exit(2);
        }
        System.out.println("attached " + wanted);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
