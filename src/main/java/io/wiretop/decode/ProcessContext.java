// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import io.wiretop.text.SafeText;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who sent or received a packet, in ptcpdump's pcapng comment layout: one comment per block
 * (Process, Thread, User, ParentProc, Container, Pod), "Key: value" lines. Unknown numbers are -1,
 * unknown texts null; a block is written only when its key field is known. Texts are the real
 * ones (unescaped); the display methods return them unescaped too, for the printer to escape. Immutable.
 */
public record ProcessContext(long pid, String cmd, String args, long tid, String threadName, long uid,
                             long ppid, String parentCmd, String parentArgs, String containerName,
                             String containerId, String containerImage, String containerLabels, String podName,
                             String podNamespace) {

    /** A context that knows nothing. */
    public static final ProcessContext NONE = new ProcessContext(-1, null, null, -1, null, -1, -1, null, null,
            null, null, null, null);

    /** A context outside any pod. */
    public ProcessContext(long pid, String cmd, String args, long tid, String threadName, long uid, long ppid,
                          String parentCmd, String parentArgs, String containerName, String containerId,
                          String containerImage, String containerLabels) {
        this(pid, cmd, args, tid, threadName, uid, ppid, parentCmd, parentArgs, containerName, containerId,
                containerImage, containerLabels, null, null);
    }

    /** The same process as seen from one of its threads. */
    public ProcessContext withThread(long tid, String threadName) {
        return new ProcessContext(pid, cmd, args, tid, threadName, uid, ppid, parentCmd, parentArgs, containerName,
                containerId, containerImage, containerLabels, podName, podNamespace);
    }

    /** The same process, known to run in a container of this id. */
    public ProcessContext withContainerId(String id) {
        return new ProcessContext(pid, cmd, args, tid, threadName, uid, ppid, parentCmd, parentArgs, containerName,
                id, containerImage, containerLabels, podName, podNamespace);
    }

    /**
     * The same process with what a runtime told of its container: name, image, labels (as a JSON
     * object) and pod; the id stays the one the process's cgroup named.
     */
    public ProcessContext withContainer(String name, String image, String labelsJson, String pod, String namespace) {
        return new ProcessContext(pid, cmd, args, tid, threadName, uid, ppid, parentCmd, parentArgs, name,
                containerId, image, labelsJson, pod, namespace);
    }

    public boolean known() {
        return pid > 0;
    }

    /** The short process name ptcpdump prints before ".pid": the basename of Cmd. */
    public String comm() {
        if (cmd == null || cmd.isEmpty()) {
            return "?";
        }
        int slash = cmd.lastIndexOf('/');
        return slash >= 0 && slash < cmd.length() - 1 ? cmd.substring(slash + 1) : cmd;
    }

    /**
     * The opt_comment strings of an EPB, in ptcpdump's order. Each value is escaped with
     * {@link SafeText#escape}: a value cannot add a line (an argv with "\nPID: 1" would otherwise
     * forge a second process block), and {@link #fromComments} reads back exactly what was written.
     */
    public List<String> comments() {
        List<String> c = new ArrayList<>();
        if (pid > 0) {
            c.add("PID: " + pid + "\nCmd: " + esc(cmd) + "\nArgs: " + esc(args));
        }
        if (tid > 0) {
            c.add("ThreadId: " + tid + "\nThreadName: " + esc(threadName));
        }
        if (uid >= 0) {
            c.add("UserId: " + uid);
        }
        if (ppid > 0) {
            c.add("ParentPID: " + ppid + "\nParentCmd: " + esc(parentCmd) + "\nParentArgs: " + esc(parentArgs));
        }
        if (containerId != null && !containerId.isEmpty()) {
            c.add("ContainerName: " + esc(containerName) + "\nContainerId: " + esc(containerId) + "\nContainerImage: "
                    + esc(containerImage) + "\nContainerLabels: " + (containerLabels == null ? "{}" : esc(containerLabels)));
        }
        if (podName != null && !podName.isEmpty()) {
            // ptcpdump's Pod block; the UID, pod labels and annotations are not known here
            c.add("PodName: " + esc(podName) + "\nPodNamespace: " + esc(podNamespace) + "\nPodUID: \nPodLabels: {}"
                    + "\nPodAnnotations: {}");
        }
        return c;
    }

    /**
     * Rebuilds a context from EPB comments (ptcpdump's keys and its aliases TID, Command,
     * ParentCommand); values are unescaped ({@link SafeText#unescape}, lenient for ptcpdump's files,
     * which are not escaped), so the model holds the real text and printers escape it once.
     */
    public static ProcessContext fromComments(List<String> comments) {
        Map<String, String> kv = new HashMap<>();
        for (String comment : comments) {
            for (String line : comment.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    kv.putIfAbsent(line.substring(0, colon).trim(), SafeText.unescape(line.substring(colon + 2)));
                } else if (line.endsWith(":")) {
                    kv.putIfAbsent(line.substring(0, line.length() - 1).trim(), "");
                }
            }
        }
        if (kv.isEmpty()) {
            return NONE;
        }
        return new ProcessContext(num(kv.get("PID")), first(kv, "Cmd", "Command"), kv.get("Args"),
                num(first(kv, "ThreadId", "TID")), kv.get("ThreadName"), num(kv.get("UserId")),
                num(kv.get("ParentPID")), first(kv, "ParentCmd", "ParentCommand"), kv.get("ParentArgs"),
                kv.get("ContainerName"), kv.get("ContainerId"), kv.get("ContainerImage"), kv.get("ContainerLabels"),
                kv.get("PodName"), kv.get("PodNamespace"));
    }

    /** ptcpdump's one-line suffix: ", Thread [name.tid], ParentProc [comm.ppid], Container [name], Pod [name.ns]". */
    public String lineSuffix() {
        StringBuilder s = new StringBuilder();
        if (tid > 0) {
            s.append(", Thread [").append(nz(threadName)).append('.').append(tid).append(']');
        }
        if (ppid > 0) {
            s.append(", ParentProc [").append(basename(parentCmd)).append('.').append(ppid).append(']');
        }
        if (containerId != null && !containerId.isEmpty()) {
            s.append(", Container [").append(containerName == null || containerName.isEmpty() ? containerId : containerName)
                    .append(']');
        }
        if (podName != null && !podName.isEmpty()) {
            s.append(", Pod [").append(podName).append('.').append(nz(podNamespace)).append(']');
        }
        return s.toString();
    }

    /** ptcpdump -v blocks: one indented line each. */
    public List<String> verboseLines() {
        List<String> l = new ArrayList<>();
        if (pid > 0) {
            l.add("Process (pid " + pid + ", cmd " + nz(cmd) + ", args " + nz(args) + ")");
        }
        if (tid > 0) {
            l.add("Thread (tid " + tid + ", name " + nz(threadName) + ")");
        }
        if (uid >= 0) {
            l.add("User (uid " + uid + ")");
        }
        if (ppid > 0) {
            l.add("ParentProc (pid " + ppid + ", cmd " + nz(parentCmd) + ", args " + nz(parentArgs) + ")");
        }
        if (containerId != null && !containerId.isEmpty()) {
            l.add("Container (name " + nz(containerName) + ", id " + containerId + ", image " + nz(containerImage)
                    + ", labels " + (containerLabels == null ? "{}" : containerLabels) + ")");
        }
        if (podName != null && !podName.isEmpty()) {
            l.add("Pod (name " + podName + ", namespace " + nz(podNamespace) + ")");
        }
        return l;
    }

    private static String basename(String cmd) {
        if (cmd == null || cmd.isEmpty()) {
            return "?";
        }
        return cmd.substring(cmd.lastIndexOf('/') + 1);
    }

    private static String first(Map<String, String> kv, String a, String b) {
        return kv.containsKey(a) ? kv.get(a) : kv.get(b);
    }

    private static long num(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String esc(String s) {
        return SafeText.escape(s);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
