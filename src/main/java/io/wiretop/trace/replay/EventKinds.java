// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.SyscallNames;
import io.wiretop.trace.scap.EventInfo;
import io.wiretop.trace.scap.EventTable;
import io.wiretop.trace.scap.ParamType;
import io.wiretop.trace.scap.ScapEvent;

import java.util.Arrays;

/**
 * What the replay fold needs to know of each event id, worked out once from the event table: which
 * rule of {@link ReplayState#fold} applies, the indexes of the named parameters it reads, the
 * syscall number it counts, its I/O direction. A replay looks at millions of events; comparing
 * event and parameter names on each of them was a tenth of its time.
 */
final class EventKinds {
    // what an exit does to the tables (the enter/exit pair's syscall)
    static final int OTHER = 0, EXEC = 1, SOCKET = 2, BIND = 3, CONNECT = 4, ACCEPT = 5, SEND = 6, RECVFROM = 7,
            RECVMSG = 8, OPEN = 9, DUP = 10, PIPE = 11, NEWFD = 12, CLONE = 13, PROCEXIT = 14, CLOSE = 15;
    static final int IO_OTHER = 0, IO_READ = 1, IO_WRITE = 2;

    /** The rule of the event id. */
    static final byte[] KIND = new byte[EventTable.SIZE];
    /** EC_IO_READ, EC_IO_WRITE or neither. */
    static final byte[] IO = new byte[EventTable.SIZE];
    /** The first parameter is an fd (an enter's fd that its exit is counted on). */
    static final boolean[] FD_FIRST = new boolean[EventTable.SIZE];
    /** The first parameter is a signed result whose negative values are errnos. */
    static final boolean[] ERRNO_FIRST = new boolean[EventTable.SIZE];
    /** The x86_64 syscall number of a non-generic event id's name, -1 when it names none. */
    private static final int[] NR = new int[EventTable.SIZE];
    /** The same for the PPM_SC codes of generic events, filled on first use (-2: not yet). */
    private static final int[] GENERIC_NR = new int[1024];
    /** Parameter indexes by name (-1: the event has none of that name). */
    static final byte[] VM_SIZE = new byte[EventTable.SIZE], VM_RSS = new byte[EventTable.SIZE],
            FLAGS = new byte[EventTable.SIZE], PID = new byte[EventTable.SIZE], PTID = new byte[EventTable.SIZE],
            EXE = new byte[EventTable.SIZE], ARGS = new byte[EventTable.SIZE], COMM = new byte[EventTable.SIZE],
            CWD = new byte[EventTable.SIZE], UID = new byte[EventTable.SIZE], NAME = new byte[EventTable.SIZE],
            DIRFD = new byte[EventTable.SIZE];

    static {
        Arrays.fill(GENERIC_NR, -2);
        for (int id = 0; id < EventTable.SIZE; id++) {
            EventInfo i = EventTable.get(id);
            KIND[id] = (byte) kind(i.name());
            IO[id] = (byte) (i.category().equals("EC_IO_READ") ? IO_READ : i.category().equals("EC_IO_WRITE") ? IO_WRITE
                    : IO_OTHER);
            ParamType t = i.paramTypes().isEmpty() ? null : i.paramTypes().get(0);
            FD_FIRST[id] = t == ParamType.FD;
            ERRNO_FIRST[id] = t == ParamType.ERRNO || t == ParamType.FD || t == ParamType.PID;
            NR[id] = SyscallNames.number(i.name());
            VM_SIZE[id] = index(i, "vm_size");
            VM_RSS[id] = index(i, "vm_rss");
            FLAGS[id] = index(i, "flags");
            PID[id] = index(i, "pid");
            PTID[id] = index(i, "ptid");
            EXE[id] = index(i, "exe");
            ARGS[id] = index(i, "args");
            COMM[id] = index(i, "comm");
            CWD[id] = index(i, "cwd");
            UID[id] = index(i, "uid");
            NAME[id] = index(i, "name");
            DIRFD[id] = index(i, "dirfd");
        }
    }

    private EventKinds() {
    }

    private static byte index(EventInfo i, String name) {
        return (byte) i.paramNames().indexOf(name); // the table's events have at most 32 parameters
    }

    private static int kind(String name) {
        return switch (name) {
            case "execve", "execveat" -> EXEC;
            case "socket" -> SOCKET;
            case "bind" -> BIND;
            case "connect" -> CONNECT;
            case "accept" -> ACCEPT;
            case "sendto", "sendmsg" -> SEND;
            case "recvfrom" -> RECVFROM;
            case "recvmsg" -> RECVMSG;
            case "open", "creat", "openat", "openat2" -> OPEN;
            case "dup" -> DUP;
            case "pipe", "socketpair" -> PIPE;
            case "eventfd", "signalfd", "timerfd_create", "inotify_init" -> NEWFD;
            case "clone", "fork", "vfork", "clone3" -> CLONE;
            case "procexit" -> PROCEXIT;
            case "close" -> CLOSE;
            default -> OTHER;
        };
    }

    /** Whether an exit of this id reads its enter's parameters (so the enter must be kept). */
    static boolean exitReadsEnter(int id) {
        int k = KIND[id];
        return k == SOCKET || k == SEND || k == OPEN;
    }

    /** The x86_64 number of the syscall an event stands for (by its {@link ScapEvent#name()}), or -1. */
    static int syscallNumber(ScapEvent e) {
        int id = e.type();
        if (id > 1 || e.paramCount() == 0) {
            return NR[id];
        }
        long code = e.asLong(0, 0);
        if (code <= 0 || code >= GENERIC_NR.length) {
            return SyscallNames.number(e.name());
        }
        int nr = GENERIC_NR[(int) code];
        if (nr == -2) {
            nr = SyscallNames.number(e.name());
            GENERIC_NR[(int) code] = nr;
        }
        return nr;
    }
}
