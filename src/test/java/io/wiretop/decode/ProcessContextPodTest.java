// SPDX-License-Identifier: Apache-2.0
package io.wiretop.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.host.ContainerMeta;
import io.wiretop.packet.ProcInfo;
import io.wiretop.text.SafeText;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A container's name, image, labels and pod as a runtime gives them (untrusted: a label or pod name
 * may hold a newline that would forge a comment line) in ptcpdump's Container and Pod comment blocks.
 */
class ProcessContextPodTest {
    private static final String ID = "3e1d733fa57a19eb8b78bb552a862d007d24d2c4b51bf4ed004a3760944fafb8";
    private static final ContainerMeta META = new ContainerMeta(ID, "web\nPID: 1", "localhost/bb:1\u001b[2J", "podman",
            "shop\nPodName: evil", "prod\u0007", Map.of("app", "x\ny", "io.kubernetes.pod.name", "shop"));

    @Test
    void containerAndPodBlocksKeepTheirLinesAndReadBackExactly() {
        ProcessContext ctx = ProcInfo.withMeta(ProcessContext.NONE.withContainerId(ID), META);
        List<String> c = ctx.comments();
        assertEquals(2, c.size(), c.toString()); // no process yet (a server's SYN): container and pod only
        assertEquals(List.of("ContainerName: web\\nPID: 1", "ContainerId: " + ID,
                "ContainerImage: localhost/bb:1\\x1b[2J",
                "ContainerLabels: {\"app\":\"x\\\\ny\",\"io.kubernetes.pod.name\":\"shop\"}"), List.of(c.get(0).split("\n")));
        assertEquals(List.of("PodName: shop\\nPodName: evil", "PodNamespace: prod\\x07", "PodUID: ", "PodLabels: {}",
                "PodAnnotations: {}"), List.of(c.get(1).split("\n")));
        for (String comment : c) {
            for (String line : comment.split("\n")) {
                assertTrue(line.chars().noneMatch(SafeText::isUnsafe), line);
            }
        }
        ProcessContext back = ProcessContext.fromComments(c);
        assertEquals("web\nPID: 1", back.containerName());
        assertEquals("localhost/bb:1\u001b[2J", back.containerImage());
        assertEquals("shop\nPodName: evil", back.podName());
        assertEquals("prod\u0007", back.podNamespace());
        assertEquals(ID, back.containerId());
    }

    @Test
    void theLineAndVerboseBlocksNameThePod() {
        ProcessContext ctx = ProcInfo.withMeta(ProcessContext.NONE.withContainerId(ID),
                new ContainerMeta(ID, "web", "bb:1", "docker", "shop", "prod", Map.of()));
        assertEquals(", Container [web], Pod [shop.prod]", ctx.lineSuffix());
        assertTrue(ctx.verboseLines().contains("Pod (name shop, namespace prod)"), ctx.verboseLines().toString());
        // outside pods: no pod block
        ProcessContext alone = ProcInfo.withMeta(ProcessContext.NONE.withContainerId(ID), ContainerMeta.idOnly(ID));
        assertEquals(1, alone.comments().size());
        assertEquals(", Container [" + ID + "]", alone.lineSuffix());
    }
}
