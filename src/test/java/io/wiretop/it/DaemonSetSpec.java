// SPDX-License-Identifier: Apache-2.0
package io.wiretop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What deploy/kubernetes/daemonset.yaml grants its container, turned into the `podman run` options
 * that grant the same on one machine: so the image test runs with exactly the manifest's
 * capabilities, seccomp profile, PID namespace, host mounts and limits, and changing the manifest changes
 * the test. Host paths missing on this machine are left out and listed in {@link #missing}.
 */
final class DaemonSetSpec {
    final JsonNode container;
    final List<String> runOptions = new ArrayList<>();
    final List<String> missing = new ArrayList<>();
    final List<String> args = new ArrayList<>();
    final int port;
    final String readinessPath;

    private DaemonSetSpec(JsonNode ds) {
        JsonNode pod = ds.at("/spec/template/spec");
        container = pod.at("/containers/0");
        JsonNode sc = container.path("securityContext");
        if (pod.path("hostPID").asBoolean(false)) {
            runOptions.add("--pid=host");
        }
        // a pod has its own network namespace unless hostNetwork; "none" is one with only lo,
        // which the test enters with nsenter to scrape on loopback
        runOptions.add(pod.path("hostNetwork").asBoolean(false) ? "--network=host" : "--network=none");
        if (sc.path("privileged").asBoolean(false)) {
            runOptions.add("--privileged");
        }
        for (JsonNode c : sc.at("/capabilities/drop")) {
            runOptions.add("--cap-drop=" + c.asText());
        }
        for (JsonNode c : sc.at("/capabilities/add")) {
            runOptions.add("--cap-add=" + c.asText());
        }
        String seccomp = sc.at("/seccompProfile/type").asText("RuntimeDefault");
        if (seccomp.equals("Unconfined")) {
            runOptions.add("--security-opt=seccomp=unconfined");
        }
        if (sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            runOptions.add("--read-only");
        }
        if (sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean()) {
            runOptions.add("--security-opt=no-new-privileges");
        }
        for (JsonNode m : container.path("volumeMounts")) {
            JsonNode vol = null;
            for (JsonNode v : pod.path("volumes")) {
                if (v.path("name").asText().equals(m.path("name").asText())) {
                    vol = v;
                }
            }
            if (vol == null) {
                throw new IllegalArgumentException("volumeMount " + m.path("name").asText() + " has no volume");
            }
            String target = m.path("mountPath").asText();
            if (vol.has("emptyDir")) {
                runOptions.add("--tmpfs=" + target + ":rw,mode=1777,size=" + vol.at("/emptyDir/sizeLimit").asText("64Mi")
                        .replace("Mi", "m"));
            } else if (vol.has("hostPath")) {
                String host = vol.at("/hostPath/path").asText();
                if (Files.exists(Path.of(host))) {
                    runOptions.add("--volume=" + host + ":" + target + (m.path("readOnly").asBoolean(false) ? ":ro" : ""));
                } else {
                    missing.add(host); // the kubelet would create it empty; here it is simply absent
                }
            } else {
                throw new IllegalArgumentException("volume " + vol.path("name").asText() + ": only emptyDir and hostPath are translated");
            }
        }
        // the limits the kubelet would set: the JVM sizes its heap from the memory limit
        String mem = container.at("/resources/limits/memory").asText("");
        if (!mem.isEmpty()) {
            runOptions.add("--memory=" + memory(mem));
        }
        String cpu = container.at("/resources/limits/cpu").asText("");
        if (!cpu.isEmpty()) {
            runOptions.add("--cpus=" + (cpu.endsWith("m") ? Double.parseDouble(cpu.substring(0, cpu.length() - 1)) / 1000 : cpu));
        }
        for (JsonNode a : container.path("args")) {
            args.add(a.asText());
        }
        port = container.at("/ports/0/containerPort").asInt();
        readinessPath = container.at("/readinessProbe/httpGet/path").asText();
    }

    /** A Kubernetes quantity (Mi, Gi, M, G or bytes) as podman's --memory value in bytes. */
    static String memory(String q) {
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}};
        for (String[] u : units) {
            if (q.endsWith(u[0])) {
                return Long.toString(Long.parseLong(q.substring(0, q.length() - u[0].length())) * Long.parseLong(u[1]));
            }
        }
        return Long.toString(Long.parseLong(q));
    }

    /** The DaemonSet document of a multi-document manifest file. */
    static DaemonSetSpec read(Path yaml) throws IOException {
        ObjectMapper m = new ObjectMapper(new YAMLFactory());
        try (var parser = m.getFactory().createParser(yaml.toFile())) {
            for (var it = m.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && doc.path("kind").asText().equals("DaemonSet")) {
                    return new DaemonSetSpec(doc);
                }
            }
        }
        throw new IllegalArgumentException(yaml + " has no DaemonSet");
    }
}
