// SPDX-License-Identifier: Apache-2.0
package io.wiretop.trace.record;

import static io.wiretop.events.FakeSyscallEvents.writeEnter;
import static io.wiretop.events.FakeSyscallEvents.writeExit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wiretop.events.FakeSyscallEvents;
import io.wiretop.host.ContainerMeta;
import io.wiretop.trace.scap.HostSnapshot;
import io.wiretop.trace.scap.ScapHead;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording's container events name the containers for sysdig 0.29.3: container.name, image and
 * (from the pod) k8s.pod.name / k8s.ns.name of a thread whose cgroups put it in a docker container
 * (the cgroupfs layout sysdig's docker engine recognises). The thread is this JVM with its cgroups
 * rewritten; the runtime's answer comes from a directory the test gives.
 */
class RecordContainersSysdigTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final String ID = "5bc60ceeded84c3b09ae4e4e9a8ab745ad30de927421b6c70cbb65fba86fa4a3";

    @TempDir
    Path tmp;

    @Test
    void sysdigShowsTheContainersNameImageAndPod() throws Exception {
        long self = ProcessHandle.current().pid();
        ScapHead real = HostSnapshot.system().take();
        byte[] docker = ("cpu=/docker/" + ID + "\0memory=/docker/" + ID + "\0").getBytes(StandardCharsets.UTF_8);
        List<ScapHead.Thread> threads = real.threads().stream().map(t -> t.tid() != self ? t
                : new ScapHead.Thread(t.tid(), t.pid(), t.ptid(), t.sid(), t.vpgid(), t.comm(), t.exe(), t.exePath(),
                t.args(), t.cwd(), t.fdLimit(), t.flags(), t.uid(), t.gid(), t.vmSizeKb(), t.vmRssKb(), t.vmSwapKb(),
                t.pageFaultsMajor(), t.pageFaultsMinor(), t.env(), t.vtid(), t.vpid(), docker, t.root(), t.loginUid(),
                t.userTicks(), t.systemTicks())).toList();
        ScapHead head = new ScapHead(real.machine(), real.interfaces(), real.users(), real.groups(), threads, real.fds());
        FakeSyscallEvents fake = new FakeSyscallEvents(10);
        fake.add(writeEnter(T0, self, 2, 5));
        fake.add(writeExit(T0 + 1, self, 5, "hello".getBytes(StandardCharsets.UTF_8)));
        Path f = tmp.resolve("c.scap");
        ContainerMeta meta = new ContainerMeta(ID, "web", "localhost/bb:1", "docker", "shop", "prod",
                Map.of("app", "x\"y"));
        Recorder r = Recorder.start(new Recorder.Options(f, false, null, null,
                id -> id.equals(ID) ? meta : ContainerMeta.idOnly(id)), fake, () -> head);
        while (r.status().events() < 2) {
            Thread.sleep(5);
        }
        r.stop();
        Process p = new ProcessBuilder("sysdig", "-r", f.toString(), "-p",
                "%container.id|%container.name|%container.image|%k8s.pod.name|%k8s.ns.name|%evt.type", "evt.type=write")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String line = "5bc60ceeded8|web|localhost/bb:1|shop|prod|write\n";
        assertEquals(line + line, out); // the write's enter and exit
        // csysdig's Containers view names it too
        Process cs = new ProcessBuilder("csysdig", "-r", f.toString(), "--raw", "-v", "containers")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String view = new String(cs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cs.waitFor(30, TimeUnit.SECONDS));
        assertTrue(view.lines().anyMatch(l -> l.contains("5bc60ceeded8") && l.contains("web") && l.contains("localhost/bb:1")),
                view);
        // and wiretop's own reader reads through the container event to the writes
        int writes = 0, containers = 0;
        try (io.wiretop.trace.scap.ScapReader rd = io.wiretop.trace.scap.ScapReader.open(f)) {
            for (io.wiretop.trace.scap.ScapEvent e; (e = rd.next()) != null; ) {
                writes += e.type() == 8 || e.type() == 9 ? 1 : 0;
                containers += e.type() == 324 ? 1 : 0;
            }
        }
        assertEquals(1, containers);
        assertEquals(2, writes);
    }

    @Test
    void theJsonIsLibsinspsLayoutWithTheRuntimesTextAsStrings() throws Exception {
        ContainerMeta m = new ContainerMeta(ID, "we\"b\n", "registry:5000/bb:1.2", "podman", "shop", null,
                Map.of("io.kubernetes.pod.name", "k8s-pod"));
        byte[] z = io.wiretop.trace.scap.ScapContainersAccess.json(m);
        assertEquals(0, z[z.length - 1]);
        JsonNode c = new ObjectMapper().readTree(new String(z, 0, z.length - 1, StandardCharsets.UTF_8)).get("container");
        assertEquals("5bc60ceeded8", c.get("id").asText());
        assertEquals(ID, c.get("full_id").asText());
        assertEquals(11, c.get("type").asInt());
        assertEquals("we\"b\n", c.get("name").asText());
        assertEquals("registry:5000/bb", c.get("imagerepo").asText());
        assertEquals("1.2", c.get("imagetag").asText());
        assertEquals(1, c.get("lookup_state").asInt());
        // the runtime's own pod label wins over the pod name
        assertEquals("k8s-pod", c.get("labels").get("io.kubernetes.pod.name").asText());
    }
}
