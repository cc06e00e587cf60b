package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the commands look: -C must name a folder that exists, -f is relative to the current folder. */
class ProjectPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"generate", "validate", "init", "build", "verify"})
    void aMissingProjectFolderIsAFileSystemError(String command, @TempDir Path work) {
        Path missing = work.resolve("no-such-project");
        CliRun run = CliRun.of(command, "-C", missing.toString());
        assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.err());
        assertTrue(run.err().contains("no such folder: " + missing), run.err());
        assertFalse(run.err().contains("run 'claude-devc init'"), run.err());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aFileGivenAsTheProjectFolderIsAFileSystemError(@TempDir Path work) throws IOException {
        Path file = Files.writeString(work.resolve("file"), "x");
        CliRun run = CliRun.of("generate", "-C", file.toString());
        assertEquals(ExitCodes.IO_ERROR, run.exitCode(), run.err());
        assertTrue(run.err().contains("is not a folder"), run.err());
    }

    @Test
    void theDescriptorFileIsRelativeToTheCurrentFolder(@TempDir Path project) throws IOException {
        // The current folder is the checkout: a path relative to it works whatever -C says.
        // A copy under target/: generate renders beside the descriptor, never into the test corpus.
        Path relative = Path.of("target/project-paths-test/" + project.getFileName() + "/minimal.yaml");
        Files.createDirectories(relative.getParent());
        Files.copy(Path.of("src/test/resources/descriptors/valid/minimal.yaml"), relative,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliRun.of("generate", "-C", project.toString(), "-f", relative.toString()).exits(0);
        CliRun missing = CliRun.of("validate", "-C", project.toString(), "-f", "no/such/claude-devc.yaml");
        assertEquals(ExitCodes.IO_ERROR, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("no/such/claude-devc.yaml: no such file"), missing.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-devc.json", "claude-devc.yml"})
    void initBesideAnotherDescriptorRefuses(String other, @TempDir Path project) throws IOException {
        Files.writeString(project.resolve(other), other.endsWith(".json") ? "{\"name\": \"x\"}\n" : "name: x\n");
        for (String[] args : new String[][] {{}, {"--force"}}) {
            String[] all = new String[args.length + 4];
            System.arraycopy(new String[] {"init", "-C", project.toString(), "--no-detect"}, 0, all, 0, 4);
            System.arraycopy(args, 0, all, 4, args.length);
            CliRun run = CliRun.of(all);
            assertEquals(ExitCodes.REFUSED_OVERWRITE, run.exitCode(), run.err());
            assertTrue(run.err().contains(other + " already describes this project"), run.err());
            assertFalse(Files.exists(project.resolve("claude-devc.yaml")));
            assertFalse(Files.exists(project.resolve(".devcontainer")));
        }
    }

    @Test
    void aHandEditIsNamedWithHowToKeepOrDiscardIt(@TempDir Path project) throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Path dockerfile = project.resolve(".devcontainer/Dockerfile");
        Files.writeString(dockerfile, Files.readString(dockerfile) + "RUN echo my edit\n");
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n"
                + "packages: [jq]\n");
        CliRun run = CliRun.of("generate", "-C", project.toString());
        assertEquals(ExitCodes.REFUSED_OVERWRITE, run.exitCode(), run.err());
        assertTrue(run.err().contains(dockerfile + " was edited by hand since claude-devc generated it: to keep the"
                + " edit, copy the file away"), run.err());
        assertTrue(run.err().contains("to discard it, run with --force"), run.err());
        assertTrue(Files.readString(dockerfile).contains("my edit"));
        CliRun.of("generate", "-C", project.toString(), "--force").exits(0);
        assertFalse(Files.readString(dockerfile).contains("my edit"));
    }

    @Test
    void everyZoneTheJdkKnowsIsAccepted(@TempDir Path project) throws IOException {
        for (String zone : java.util.List.of("UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5")) {
            Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\ntimezone: " + zone + "\n");
            CliRun.of("generate", "-C", project.toString(), "--force").exits(0);
        }
    }
}
