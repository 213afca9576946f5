// SPDX-License-Identifier: Apache-2.0
package io.wiretop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/*.yaml against the Kubernetes API schemas, offline (no cluster): the
 * validator in deploy/validate (kubernetes-models' JSON schemas for types and required fields,
 * TypeScript for unknown fields) passes the committed manifests and rejects each kind of break.
 * The numbers that must agree across files (the port, the probe path, the image's default
 * command) are checked here too, so a change in one place cannot leave another stale.
 */
class KubernetesManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("wiretop.sources", "."));
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final Path PODMONITOR = MANIFESTS.resolve("prometheus-operator/podmonitor.yaml");

    record Result(int exit, String out) {
    }

    @Test
    void committedManifestsAreValid() throws Exception {
        List<Path> all = new ArrayList<>(manifests());
        all.add(PODMONITOR);
        Result r = validate(all);
        assertEquals(0, r.exit(), r.out());
        for (String obj : List.of("DaemonSet/wiretop", "Namespace/wiretop", "ServiceAccount/wiretop",
                "ClusterRole/wiretop-pod-reader", "ClusterRoleBinding/wiretop-pod-reader", "Service/wiretop",
                "PodMonitor/wiretop")) {
            assertTrue(r.out().contains(obj), obj + " checked: " + r.out());
        }
    }

    /** One break per row: the DaemonSet with FROM replaced by TO must fail with a line naming WHY. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "hostPID: true|hostPid: true|'\"hostPid\"' does not exist",                 // unknown field
            "readOnly: true|readonyl: true|'\"readonyl\"' does not exist",             // unknown field in a mount
            "hostPID: true|hostPID: \"yes\"|hostPID must be boolean",                  // wrong type
            "containerPort: 9435|containerPort: \"9435\"|containerPort must be integer",
            "  selector:|  selectr:|must have required property selector",          // required field missing
            "kind: DaemonSet|kind: DaemonSett|unknown apiVersion/kind",
            "hostPID: true|hostPID: [true|YAML",                                      // not YAML
    })
    void eachBreakIsRejected(String from, String to, String why, @TempDir Path tmp) throws Exception {
        String ds = Files.readString(MANIFESTS.resolve("daemonset.yaml"));
        String broken = ds.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
        assertNotEquals(ds, broken, "the mutation applies to the committed DaemonSet: " + from);
        Path f = tmp.resolve("daemonset.yaml");
        Files.writeString(f, broken);
        Result r = validate(List.of(f));
        assertEquals(1, r.exit(), "a broken manifest fails: " + r.out());
        assertTrue(r.out().contains(why), "names the problem (" + why + "): " + r.out());
        assertTrue(r.out().contains("DaemonSet") || why.equals("YAML"), r.out());
    }

    @Test
    void portProbeAndImageCommandAgree() throws Exception {
        JsonNode ds = doc("daemonset.yaml", "DaemonSet"), svc = doc("service.yaml", "Service");
        JsonNode c = ds.at("/spec/template/spec/containers/0");
        int port = c.at("/ports/0/containerPort").asInt();
        String portName = c.at("/ports/0/name").asText();
        assertEquals(portName, c.at("/readinessProbe/httpGet/port").asText(), "readiness probes the metrics port");
        assertEquals(portName, svc.at("/spec/ports/0/targetPort").asText());
        assertEquals(port, svc.at("/spec/ports/0/port").asInt());
        assertEquals(Integer.toString(port), ds.at("/spec/template/metadata/annotations").path("prometheus.io/port").asText());
        assertEquals(Integer.toString(port), svc.at("/metadata/annotations").path("prometheus.io/port").asText());
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("serve", "--listen", "0.0.0.0:" + port), args);
        String containerfile = Files.readString(ROOT.resolve("deploy/image/Containerfile"));
        assertTrue(containerfile.contains("CMD [\"serve\", \"--listen\", \"0.0.0.0:" + port + "\"]"),
                "the image's default command serves on the DaemonSet's port");
        assertEquals(ds.at("/spec/selector/matchLabels"), ds.at("/spec/template/metadata/labels"));
        assertEquals(ds.at("/spec/selector/matchLabels"), svc.at("/spec/selector"));
        assertEquals("wiretop", doc("rbac.yaml", "ClusterRoleBinding").at("/subjects/0/name").asText());
        assertEquals(doc("rbac.yaml", "ServiceAccount").at("/metadata/name"), ds.at("/spec/template/spec/serviceAccountName"));
    }

    /** The operator's PodMonitor keeps wiretop's pod/namespace labels, scrapes the named port, and a typo fails. */
    @Test
    void podMonitorHonorsWiretopsLabels(@TempDir Path tmp) throws Exception {
        JsonNode pm = docAt(PODMONITOR, "PodMonitor"), ds = doc("daemonset.yaml", "DaemonSet");
        JsonNode ep = pm.at("/spec/podMetricsEndpoints/0");
        assertTrue(ep.path("honorLabels").asBoolean(false), "honorLabels: true (else pod becomes exported_pod)");
        assertEquals(ds.at("/spec/template/spec/containers/0/ports/0/name").asText(), ep.path("port").asText());
        assertEquals(ds.at("/spec/selector/matchLabels"), pm.at("/spec/selector/matchLabels"));
        String text = Files.readString(PODMONITOR), broken = text.replace("honorLabels: true", "honorLabel: true");
        assertNotEquals(text, broken);
        Path f = tmp.resolve("podmonitor.yaml");
        Files.writeString(f, broken);
        Result r = validate(List.of(f));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("'\"honorLabel\"' does not exist"), r.out());
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> s = Files.list(MANIFESTS)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertEquals(4, l.size(), "namespace, rbac, daemonset and service manifests: " + l);
            return l;
        }
    }

    private static JsonNode doc(String file, String kind) throws IOException {
        return docAt(MANIFESTS.resolve(file), kind);
    }

    private static JsonNode docAt(Path file, String kind) throws IOException {
        ObjectMapper m = new ObjectMapper(new YAMLFactory());
        try (var parser = m.getFactory().createParser(file.toFile())) {
            for (var it = m.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode d = it.next();
                if (d.path("kind").asText().equals(kind)) {
                    return d;
                }
            }
        }
        throw new AssertionError(file + " has no " + kind);
    }

    private static Result validate(List<Path> files) throws Exception {
        Path script = ROOT.resolve("deploy/validate/validate.mjs");
        assertTrue(Files.isDirectory(ROOT.resolve("deploy/validate/node_modules/kubernetes-models")),
                "the validator's packages are not installed: run scripts/install-deps.sh test (npm ci in deploy/validate)");
        assertTrue(onPath("node"), "node is missing: the manifest validator runs on Node.js (apt-get install nodejs npm)");
        List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "validator finished");
        return new Result(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
