// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.replay;

import io.wiretop.model.KernelSample;
import io.wiretop.model.Losses;
import io.wiretop.model.ProcessId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cumulative counters a replay builds, in the shape the kernel maps have live: per (process,
 * socket name) NET bytes and events, per (process, file) FILE bytes and events, per (process,
 * syscall, errno) calls. An entry leaves the sample once the aggregator has been told it is final
 * (socket closed or renamed, process gone): the aggregator forgets its previous value then, and an
 * entry that came back would count from zero again.
 */
final class ReplayCounters {
    private record ConnKey(ProcessId id, long cookie) {
    }

    private record FileKey(ProcessId id, long fileId) {
    }

    private record SysKey(ProcessId id, int nr, int err) {
    }

    /** One (process, socket name): the tuple as it was named, and its counts. */
    static final class ConnAcc {
        final int family, proto, lport, rport;
        final boolean passive;
        final byte[] laddr, raddr;
        long in, out, opsIn, opsOut;

        ConnAcc(ReplayFd.Socket s) {
            family = s.family;
            proto = s.proto;
            passive = s.passive;
            laddr = s.laddr;
            raddr = s.raddr;
            lport = s.lport;
            rport = s.rport;
        }
    }

    private final Map<ConnKey, ConnAcc> conns = new LinkedHashMap<>();
    private final Map<FileKey, long[]> files = new LinkedHashMap<>();
    private final Map<SysKey, long[]> sys = new LinkedHashMap<>();
    private final List<Long> closed = new ArrayList<>();
    /**
     * Bumped by {@link #forget}, which drops entries: a counter cached on a socket, a file fd or a
     * process ({@link Slots}) is the map's own only while its epoch is the current one. The caches
     * spare the hot path a key object and a hash lookup per event.
     */
    private int epoch;

    /** A process's cache of its syscall counters for errno 0, indexed by syscall number. */
    static final class Slots {
        private final long[][] ok = new long[512][];
        private int epoch = -1;
    }
    /** Counts NET bytes and events of one process on a named socket. */
    void net(ProcessId id, ReplayFd.Socket s, long bytesIn, long bytesOut, long opsIn, long opsOut) {
        ConnAcc a = s.acc;
        if (a == null || s.accEpoch != epoch || s.accId != id || s.accCookie != s.cookie) {
            a = conns.computeIfAbsent(new ConnKey(id, s.cookie), k -> new ConnAcc(s));
            s.acc = a;
            s.accEpoch = epoch;
            s.accId = id;
            s.accCookie = s.cookie;
        }
        a.in += bytesIn;
        a.out += bytesOut;
        a.opsIn += opsIn;
        a.opsOut += opsOut;
    }

    /** Counts FILE bytes and events of one process on one file (f: an fd of that file, which caches the counter). */
    void file(ProcessId id, ReplayFd f, long fileId, long bytesIn, long bytesOut, long ops) {
        long[] a = f.acc;
        if (a == null || f.accEpoch != epoch || f.accId != id || f.accFileId != fileId) {
            a = files.computeIfAbsent(new FileKey(id, fileId), k -> new long[3]);
            f.acc = a;
            f.accEpoch = epoch;
            f.accId = id;
            f.accFileId = fileId;
        }
        a[0] += bytesIn;
        a[1] += bytesOut;
        a[2] += ops;
    }

    /** Counts one syscall of one process ending with errno err (0 = success); slots: that process's cache. */
    void syscall(ProcessId id, Slots slots, int nr, int err) {
        if (err != 0 || nr >= slots.ok.length) {
            sys.computeIfAbsent(new SysKey(id, nr, err), k -> new long[1])[0]++;
            return;
        }
        if (slots.epoch != epoch) {
            java.util.Arrays.fill(slots.ok, null);
            slots.epoch = epoch;
        }
        long[] a = slots.ok[nr];
        if (a == null) {
            a = sys.computeIfAbsent(new SysKey(id, nr, 0), k -> new long[1]);
            slots.ok[nr] = a;
        }
        a[0]++;
    }

    /** A socket name will count no more (closed, or renamed: the new name is a new cookie). */
    void closed(long cookie) {
        closed.add(cookie);
    }

    /** The cumulative counters now. */
    KernelSample sample() {
        List<KernelSample.Conn> c = new ArrayList<>(conns.size());
        conns.forEach((k, a) -> c.add(new KernelSample.Conn(k.id(), k.cookie(), a.family, a.proto, a.passive,
                a.laddr, a.lport, a.raddr, a.rport, a.in, a.out, a.opsIn, a.opsOut)));
        List<KernelSample.FileIo> f = new ArrayList<>(files.size());
        // the file id stands for the inode and for the fd the aggregator asks the path of (ScapFeed.info)
        files.forEach((k, a) -> f.add(new KernelSample.FileIo(k.id(), 0, k.fileId(), (int) k.fileId(), a[0], a[1],
                a[2])));
        List<KernelSample.Sys> s = new ArrayList<>(sys.size());
        sys.forEach((k, a) -> s.add(new KernelSample.Sys(k.id(), k.nr(), k.err(), a[0])));
        return new KernelSample(c, s, f, Losses.NONE);
    }

    /** The cookies closed since the last {@link #forget}. */
    List<Long> closedCookies() {
        return List.copyOf(closed);
    }

    /** After a sample went out: drops the entries it gave for the last time. */
    void forget(Set<ProcessId> gone) {
        Set<Long> done = new HashSet<>(closed);
        conns.keySet().removeIf(k -> done.contains(k.cookie()) || gone.contains(k.id()));
        files.keySet().removeIf(k -> gone.contains(k.id()));
        sys.keySet().removeIf(k -> gone.contains(k.id()));
        closed.clear();
        epoch++;
    }
}
