package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * init and generate never write through a symbolic link (the output folder, a folder inside it, or a target file
 * being one), and are all-or-nothing: a failure part-way leaves the project as it was.
 */
class WriteSafetyTest {

    @TempDir
    Path work;

    @AfterEach
    void noFaults() {
        TreeWriter.beforeChange = target -> { };
    }

    private Path project() throws IOException {
        Path project = Files.createDirectories(work.resolve("project"));
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n"
                + "caCertificates: [corp.pem]\n");
        Files.copy(Path.of("src/test/resources/descriptors/valid/certs/corp-root.crt"), project.resolve("corp.pem"));
        return project;
    }

    /** Every kind of link on the write path: the folder, a folder in it, each file it writes. */
    @ParameterizedTest
    @ValueSource(strings = {".devcontainer", ".devcontainer/ca-certificates", ".devcontainer/Dockerfile",
        ".devcontainer/claude-devc-entrypoint.sh", ".devcontainer/claude-devc.sha256"})
    void generateRefusesALinkAnywhereOnThePathAndWritesNothing(String link) throws IOException {
        Path project = project();
        Path outside = Files.createDirectories(work.resolve("outside"));
        Path linkPath = project.resolve(link);
        Files.createDirectories(linkPath.getParent());
        boolean folder = !link.contains(".") || link.endsWith("ca-certificates") || link.equals(".devcontainer");
        Path target = folder ? Files.createDirectories(outside.resolve("dir")) : outside.resolve("file");
        Files.createSymbolicLink(linkPath, target);
        Map<String, String> before = snapshot(work);

        CliRun run = CliRun.of("generate", "-C", project.toString());
        assertEquals(10, run.exitCode(), run.err());
        assertTrue(run.err().contains("refusing to write through a symbolic link: " + linkPath + " is one"), run.err());
        assertTrue(run.err().contains("nothing was written"), run.err());
        assertEquals(before, snapshot(work), "nothing written anywhere");

        CliRun force = CliRun.of("generate", "-C", project.toString(), "--force");
        assertEquals(10, force.exitCode(), force.err());
        assertEquals(before, snapshot(work), "not even with --force");
    }

    @Test
    void initRefusesALinkedOutputFolderOrDescriptor() throws IOException {
        Path project = Files.createDirectories(work.resolve("init"));
        Path outside = Files.createDirectories(work.resolve("elsewhere"));
        Files.createSymbolicLink(project.resolve(".devcontainer"), outside);
        CliRun run = CliRun.of("init", "-C", project.toString(), "--claude-install", "none");
        assertTrue(run.exitCode() == 10 || run.exitCode() == 3, run.err());
        assertTrue(run.err().contains("symbolic link"), run.err());
        assertFalse(Files.exists(project.resolve("claude-devc.yaml")));
        assertEquals(List.of(), list(outside));

        Files.delete(project.resolve(".devcontainer"));
        Files.createSymbolicLink(project.resolve("claude-devc.yaml"), outside.resolve("descriptor.yaml"));
        CliRun again = CliRun.of("init", "-C", project.toString(), "--claude-install", "none", "--force");
        assertEquals(10, again.exitCode(), again.err());
        assertTrue(again.err().contains("refusing to write through a symbolic link"), again.err());
        assertFalse(Files.exists(project.resolve(".devcontainer")));
        assertEquals(List.of(), list(outside));
    }

    /** A file where a folder must be: found before anything is written (it failed after writing the others). */
    @Test
    void generateFindsAFileInTheWayBeforeWritingAnything() throws IOException {
        Path project = project();
        Files.createDirectories(project.resolve(".devcontainer"));
        Files.writeString(project.resolve(".devcontainer/ca-certificates"), "a file, not a folder\n");
        Map<String, String> before = snapshot(project);
        CliRun run = CliRun.of("generate", "-C", project.toString(), "--force");
        assertEquals(10, run.exitCode(), run.err());
        assertTrue(run.err().contains("is in the way"), run.err());
        assertEquals(before, snapshot(project));
    }

    /** A failure at every single step of init (fresh) and generate (replacing, deleting) rolls everything back. */
    @Test
    void aFailureAtAnyStepLeavesTheProjectAsItWas() throws IOException {
        Path fresh = Files.createDirectories(work.resolve("fresh"));
        Files.writeString(fresh.resolve("package.json"), "{}\n");
        int steps = countSteps(() -> CliRun.of("init", "-C", fresh.toString(), "--claude-install", "none"));
        assertTrue(steps > 5, "init makes several changes: " + steps);
        for (Path p : list(fresh).stream().map(fresh::resolve).toList()) {
            if (!p.getFileName().toString().equals("package.json")) {
                deleteTree(p);
            }
        }
        Map<String, String> before = snapshot(fresh);
        for (int failAt = 0; failAt < steps; failAt++) {
            failAt(failAt);
            CliRun run = CliRun.of("init", "-C", fresh.toString(), "--claude-install", "none");
            assertEquals(10, run.exitCode(), run.err());
            assertTrue(run.err().contains("rolled back: nothing was written"), run.err());
            assertEquals(before, snapshot(fresh), "init failing at step " + failAt);
        }

        // generate over an earlier generation: replaces files and deletes the dropped certificate.
        Path project = project();
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo2\nclaudeCode: {install: none}\n");
        Map<String, String> generated = snapshot(project);
        int changes = countSteps(() -> CliRun.of("generate", "-C", project.toString()));
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n"
                + "caCertificates: [corp.pem]\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo2\nclaudeCode: {install: none}\n");
        assertEquals(generated, snapshot(project));
        for (int failAt = 0; failAt < changes; failAt++) {
            failAt(failAt);
            CliRun run = CliRun.of("generate", "-C", project.toString());
            assertEquals(10, run.exitCode(), run.err());
            assertEquals(generated, snapshot(project), "generate failing at step " + failAt);
        }
    }

    private int countSteps(Runnable run) {
        AtomicInteger count = new AtomicInteger();
        TreeWriter.beforeChange = target -> count.incrementAndGet();
        run.run();
        TreeWriter.beforeChange = target -> { };
        return count.get();
    }

    private static void failAt(int step) {
        AtomicInteger count = new AtomicInteger();
        TreeWriter.beforeChange = target -> {
            if (count.getAndIncrement() == step) {
                throw new IOException("injected failure before " + target.getFileName());
            }
        };
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Every path below {@code dir} (links not followed) with its content, mode or link target. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : new ArrayList<>(s.toList())) {
                String key = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(key, "dir");
                } else {
                    out.put(key, Files.readString(p) + " " + Files.getPosixFilePermissions(p));
                }
            }
        }
        return out;
    }
}
