// SPDX-License-Identifier: Apache-2.0
package io.wiretop.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Containers in cgroup paths: the one reader of the names runtimes give a container's cgroup. The
 * process table, packet contexts, the cgroup walker behind --container-id, the trace files and the
 * exporter all ask here, so they name the same container. Forms read, segment by segment:
 *
 * <ul>
 *   <li>docker: {@code /docker/ID}, {@code docker-ID.scope}</li>
 *   <li>podman: {@code libpod-ID}, {@code libpod-ID.scope}; pods {@code /libpod_parent/POD/libpod-ID}
 *       and {@code machine-libpod_pod_POD.slice/libpod-ID.scope}</li>
 *   <li>containerd: {@code cri-containerd-ID.scope}, {@code /NAMESPACE/ID} (ctr)</li>
 *   <li>CRI-O: {@code crio-ID.scope}, {@code crio-ID}</li>
 *   <li>kubelet: {@code /kubepods/CLASS/podUID/ID} and
 *       {@code kubepods-CLASS-podUID_WITH_UNDERSCORES.slice/...}: the pod uid</li>
 *   <li>LXC: {@code /lxc/NAME}, {@code lxc.payload.NAME}; systemd-nspawn: {@code machine-NAME.scope}</li>
 * </ul>
 * The runtimes' monitors (conmon: {@code libpod-conmon-ID.scope}, {@code crio-conmon-ID.scope};
 * {@code lxc.monitor.NAME}; nspawn's {@code supervisor}) run beside the container, not in it. A path
 * that holds several containers (one runs inside another) is the innermost one's.
 */
public final class ContainerIds {
    /** How many leading digits name a container in tables (the short id docker prints). */
    public static final int SHORT_LENGTH = 12;
    private static final String HEX = "[0-9a-f]{64}";
    private static final Pattern MONITOR = Pattern.compile("(libpod|crio)-conmon-" + HEX + "(\\.scope)?|lxc\\.monitor\\..*");
    private static final Pattern BARE = Pattern.compile(HEX);
    private static final Pattern DOCKER = Pattern.compile("docker-(" + HEX + ")\\.scope");
    private static final Pattern CONTAINERD = Pattern.compile("cri-containerd-(" + HEX + ")\\.scope");
    private static final Pattern CRIO = Pattern.compile("crio-(" + HEX + ")(\\.scope)?");
    private static final Pattern PODMAN = Pattern.compile("libpod-(" + HEX + ")(\\.scope)?");
    // a runtime we do not know by name that follows the systemd convention (prefix-ID.scope)
    private static final Pattern OTHER_SCOPE = Pattern.compile("[A-Za-z0-9_.-]*-(" + HEX + ")\\.scope");
    private static final Pattern LXC_PAYLOAD = Pattern.compile("lxc\\.payload\\.(.+)");
    private static final Pattern NSPAWN = Pattern.compile("machine-(.+)\\.scope");
    private static final Pattern KUBE_POD = Pattern.compile("pod([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
    private static final Pattern KUBE_POD_SLICE = Pattern.compile(
            "kubepods(?:-[a-z]+)?-pod([0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12})\\.slice");
    private static final Pattern PODMAN_POD_SLICE = Pattern.compile("machine-libpod_pod_(" + HEX + ")\\.slice");

    private ContainerIds() {
    }

    /**
     * The container a cgroup path belongs to, with its pod when the path names one above it; null
     * when the path is no container's.
     */
    public static ContainerRef parse(String path) {
        List<ContainerRef> all = all(path);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every container on one path, outermost first (a nested container's path holds its host's too). */
    static List<ContainerRef> all(String path) {
        List<ContainerRef> found = new ArrayList<>(1);
        String pod = null, prev = "";
        boolean kube = false;
        String[] segs = path.split("/");
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.isEmpty()) {
                continue;
            }
            Matcher m;
            String podHere = null;
            ContainerRef c = null;
            if (MONITOR.matcher(s).matches()) {
                c = null;
            } else if ((m = DOCKER.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), "docker", pod);
            } else if ((m = CONTAINERD.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), "containerd", pod);
            } else if ((m = CRIO.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), "cri-o", pod);
            } else if ((m = PODMAN.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), "podman", pod);
            } else if (BARE.matcher(s).matches()) {
                if (prev.equals("libpod_parent")) {
                    podHere = s; // podman's pod directory (cgroupfs): its containers are below
                } else {
                    c = new ContainerRef(s, bareRuntime(prev, pod != null || kube), pod);
                }
            } else if ((m = PODMAN_POD_SLICE.matcher(s)).matches()) {
                podHere = m.group(1);
            } else if (kube && (m = KUBE_POD.matcher(s)).matches()) {
                podHere = m.group(1);
            } else if ((m = KUBE_POD_SLICE.matcher(s)).matches()) {
                podHere = m.group(1).replace('_', '-');
            } else if ((m = OTHER_SCOPE.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), null, pod);
            } else if (prev.equals("lxc") && i == firstSegment(segs) + 1) {
                c = new ContainerRef(s, "lxc", null);
            } else if ((m = LXC_PAYLOAD.matcher(s)).matches()) {
                c = new ContainerRef(m.group(1), "lxc", null);
            } else if ((m = NSPAWN.matcher(s)).matches() && prev.equals("machine.slice")
                    && !(i + 1 < segs.length && segs[i + 1].equals("supervisor"))) {
                String name = systemdUnescape(m.group(1));
                if (!name.startsWith("qemu-")) { // libvirt's virtual machines share the form: not containers
                    c = new ContainerRef(name, "nspawn", null);
                }
            }
            kube |= s.startsWith("kubepods");
            if (podHere != null) {
                pod = podHere;
            }
            if (c != null) {
                found.add(c);
            }
            prev = s;
        }
        return found;
    }

    /** Who puts a container under its parent by bare id: docker in /docker, a CRI runtime under kubepods, else ctr. */
    private static String bareRuntime(String parent, boolean kube) {
        if (parent.equals("docker")) {
            return "docker";
        }
        return kube ? null : "containerd";
    }

    private static int firstSegment(String[] segs) {
        for (int i = 0; i < segs.length; i++) {
            if (!segs[i].isEmpty()) {
                return i;
            }
        }
        return 0;
    }

    /** systemd's unit name escaping: "\x2d" for '-' and so on. */
    private static String systemdUnescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x'
                    && s.substring(i + 2, i + 4).matches("[0-9a-fA-F]{2}")) {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** Every container id on one cgroup path, outermost first. */
    public static List<String> onPath(String path) {
        List<String> ids = new ArrayList<>(1);
        for (ContainerRef c : all(path)) {
            ids.add(c.id());
        }
        return ids;
    }

    /** The container a cgroup belongs to: the innermost id on its path, or null when it is no container's. */
    public static String ofPath(String path) {
        ContainerRef c = parse(path);
        return c == null ? null : c.id();
    }

    /**
     * The container of a process from its /proc/[pid]/cgroup text ("hierarchy:controllers:path"
     * lines): the container of the first line whose path names one, or null.
     */
    public static ContainerRef refOfProcCgroup(String text) {
        for (String line : text.split("\n")) {
            int c1 = line.indexOf(':'), c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
            ContainerRef ref = parse(c2 < 0 ? line : line.substring(c2 + 1));
            if (ref != null) {
                return ref;
            }
        }
        return null;
    }

    /**
     * The container of a thread from the cgroups a capture gives it (sysdig's "subsys=path" items of
     * the process list, clone and execve): the first item's container, or null.
     */
    public static String ofItems(List<String> items) {
        for (String item : items) {
            String id = ofPath(item);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /** The id of {@link #refOfProcCgroup}, or null. */
    public static String ofProcCgroup(String text) {
        ContainerRef ref = refOfProcCgroup(text);
        return ref == null ? null : ref.id();
    }

    /** Whether a user's text can name a container: 1 to 64 hex digits, a whole id or its start (any case). */
    public static boolean isIdPrefix(String s) {
        return s.matches("[0-9a-fA-F]{1,64}");
    }

    /** The short form of a container id: 12 digits of a 64-hex id; a name (LXC, nspawn) is kept whole. */
    public static String shortId(String id) {
        return id.length() == 64 && BARE.matcher(id).matches() ? id.substring(0, SHORT_LENGTH) : id;
    }
}
