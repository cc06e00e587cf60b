package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a user names are read only when they are regular files, bounded; a URL that accepts and never answers
 * times out. None of these may hang or end in an internal error.
 */
class NonRegularFilesTest {

    @TempDir
    Path dir;

    private Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0);
        return fifo;
    }

    private Path project() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n");
        return project;
    }

    private static CliRun quickly(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(args), String.join(" ", args));
    }

    @Test
    void theDescriptorMustBeARegularFile() throws Exception {
        Path project = project();
        for (Path bad : List.of(fifo("claude-devc.yaml"), Path.of("/dev/zero"), Files.createDirectories(
                dir.resolve("folder.yaml")))) {
            CliRun run = quickly("validate", "-C", project.toString(), "-f", bad.toString());
            assertEquals(ExitCodes.INVALID_DESCRIPTOR, run.exitCode(), run.err());
            assertTrue(run.err().contains(": not a regular file ("), run.err());
        }
    }

    @Test
    void auditReadsOnlyRegularFiles() throws Exception {
        Path log = fifo("dns.log");
        Path status = fifo("status");
        Path good = Files.writeString(dir.resolve("good.log"), "");
        Path project = project();
        for (String[] args : List.of(new String[] {"--log", log.toString()},
                new String[] {"--log", "/dev/zero"},
                new String[] {"--log", good.toString(), "--status", status.toString()},
                new String[] {"--log", good.toString(), "--status", "/dev/zero"})) {
            List<String> all = new ArrayList<>(List.of("audit", "-C", project.toString()));
            all.addAll(List.of(args));
            CliRun run = quickly(all.toArray(String[]::new));
            assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.err());
            assertTrue(run.err().contains("not a regular file"), run.err());
        }
    }

    @Test
    void validateSchemaRefusesAFifoAndTimesOutOnASilentServer() throws Exception {
        Path project = project();
        CliRun.of("generate", "-C", project.toString()).exits(0);
        CliRun fifoRun = quickly("validate", "-C", project.toString(), "--schema", fifo("schema.json").toString());
        assertEquals(ExitCodes.IO_ERROR, fifoRun.exitCode(), fifoRun.err());
        assertTrue(fifoRun.err().contains("not a regular file"), fifoRun.err());

        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept, never answer
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long t0 = System.nanoTime();
            CliRun run = quickly("validate", "-C", project.toString(), "--schema",
                    "http://127.0.0.1:" + silent.getLocalPort() + "/schema.json");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.err());
            assertTrue(run.err().contains("no answer within 10 s"), run.err());
            assertTrue(seconds < 20, "took " + seconds + " s");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void theOfficialTopLevelSchemaResolvesItsRelativeReferenceAndNamesTheRemoteOnesItCannotLoad() throws IOException {
        Path schema = dev.claudedevc.TestPaths.devcontainerSchema().resolveSibling("devContainer.schema.json");
        Path project = project();
        CliRun.of("generate", "-C", project.toString()).exits(0);
        CliRun run = quickly("validate", "-C", project.toString(), "--schema", schema.toString());
        // Offline: the base schema (./devContainer.base.schema.json) loads; the codespaces/vscode parts are remote.
        assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("cannot use the schema") && run.err().contains("https://raw.githubusercontent"),
                run.err());
        assertFalse(run.err().contains("devContainer.base.schema.json"), run.err());
    }

    @Test
    void aRelativeReferenceResolvesAgainstTheReferringSchemasFolder() throws IOException {
        Path project = project();
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Path dir = Files.createTempDirectory("claude-devc-schemas-");
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("top.json"), "{\"allOf\": [{\"$ref\": \"./parts/rule.json\"}]}");
        Files.writeString(dir.resolve("parts/rule.json"), "{\"required\": [\"claudeDevcNoSuchKey\"]}");
        Path elsewhere = Files.createTempDirectory("claude-devc-cwd-"); // not where the reference points
        Files.writeString(elsewhere.resolve("rule.json"), "{}");
        CliRun run = quickly("validate", "-C", project.toString(), "--schema", dir.resolve("top.json").toString());
        assertEquals(ExitCodes.INVALID_OUTPUT, run.exitCode(), run.out() + run.err());
        assertTrue((run.out() + run.err()).contains("claudeDevcNoSuchKey"), run.out() + run.err());
    }
}
