// SPDX-License-Identifier: Apache-2.0
package io.wiretop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wiretop.host.ContainerDirectory;
import io.wiretop.host.ContainerMeta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** --container-name and --pod resolved through a container directory: which ids, and the line when none. */
class ContainerTargetsTest {
    private static final String A = "a".repeat(64), B = "b".repeat(64), C = "c".repeat(64);

    private static Map<String, ContainerMeta> known() {
        Map<String, ContainerMeta> m = new LinkedHashMap<>();
        m.put(A, new ContainerMeta(A, "/web", "img", "docker", "shop", "prod", Map.of()));
        m.put(B, new ContainerMeta(B, "db", "img", "podman", "shop", null, Map.of()));
        m.put(C, ContainerMeta.idOnly(C));
        return m;
    }

    @Test
    void namesMatchWithoutDockersSlashAndPodsByNameOrNameDotNamespace() {
        assertEquals(List.of(A), ContainerTargets.matching(known(), "web", "--container-name", false));
        assertEquals(List.of(B), ContainerTargets.matching(known(), "db", "--container-name", false));
        assertEquals(List.of(A, B), ContainerTargets.matching(known(), "shop", "--pod", true));
        assertEquals(List.of(A), ContainerTargets.matching(known(), "shop.prod", "--pod", true));
    }

    @Test
    void noMatchSaysWhy() {
        assertEquals("--container-name nope: no running container has this name", assertThrows(UserError.class,
                () -> ContainerTargets.matching(known(), "nope", "--container-name", false)).getMessage());
        assertEquals("--pod nope: no running container belongs to a pod of this name", assertThrows(UserError.class,
                () -> ContainerTargets.matching(known(), "nope", "--pod", true)).getMessage());
        assertEquals("--container-name web: no container runtime answered for the 1 running containers (names and "
                + "pods come from docker or podman)", assertThrows(UserError.class,
                () -> ContainerTargets.matching(Map.of(C, ContainerMeta.idOnly(C)), "web", "--container-name", false))
                .getMessage());
        assertEquals("--container-name web: no container is running", assertThrows(UserError.class,
                () -> ContainerTargets.matching(Map.of(), "web", "--container-name", false)).getMessage());
        assertTrue(assertThrows(UserError.class, () -> ContainerTargets.matching(known(), "x\u001b[2J",
                "--container-name", false)).getMessage().contains("x\\x1b[2J"));
    }

    @Test
    void answersWaitForALateRuntimeAndGiveUpOnASilentOne() {
        AtomicInteger asked = new AtomicInteger();
        // answers on the third question, as a directory whose lookups run off the caller's thread
        ContainerDirectory late = id -> asked.incrementAndGet() < 3 ? ContainerMeta.idOnly(id)
                : new ContainerMeta(id, "web", null, "docker", null, null, Map.of());
        assertEquals("web", ContainerTargets.answers(late, Set.of(A), 5000).get(A).name());
        long t0 = System.nanoTime();
        Map<String, ContainerMeta> silent = ContainerTargets.answers(ContainerDirectory.idsOnly(), Set.of(A), 300);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 300 && ms < 3000, ms + " ms");
        assertEquals(ContainerMeta.idOnly(A), silent.get(A));
        // a pod's own cgroup id, which no runtime answers for, holds the start only briefly once the runtime answered
        ContainerDirectory knowsA = id -> id.equals(A) ? new ContainerMeta(id, "web", null, "podman", null, null, Map.of())
                : ContainerMeta.idOnly(id);
        t0 = System.nanoTime();
        Map<String, ContainerMeta> both = ContainerTargets.answers(knowsA, new java.util.LinkedHashSet<>(List.of(A, B)), 5000);
        ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("web", both.get(A).name());
        assertTrue(ms >= ContainerTargets.MORE_MILLIS && ms < 2500, ms + " ms");
    }
}
