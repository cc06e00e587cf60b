package dev.claudedevc.cli;

import static dev.claudedevc.docker.FakeEngine.exit;
import static dev.claudedevc.docker.FakeEngine.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.docker.FakeEngine;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.model.ImageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply against a scripted engine: what it stages where, in which order, and how it reports each ending. */
class ApplyCommandTest {

    private static final String ID = "id-box";
    private static final List<String> PREPARE = List.of(ImageLayout.INSTALL_POLICY, "prepare");
    private static final List<String> INSTALL = List.of(ImageLayout.INSTALL_POLICY, "apply");
    private static final List<String> STATUS = List.of(ImageLayout.FIREWALL, "status");

    @TempDir
    Path project;

    private final FakeEngine engine = new FakeEngine();

    @BeforeEach
    void project() throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: demo
                claudeCode:
                  install: none
                network:
                  allowedDomains: [allowed.test, added.test]
                """);
        CliRun.of("generate", "-C", project.toString()).exits(0);
        engine.running(new RunningContainer(ID, "box", "sha256:img", Map.of(DevContainers.LOCAL_FOLDER,
                project.toString())));
    }

    private CliRun apply(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", "-C", project.toString()));
        args.addAll(List.of(more));
        return CliRun.with(() -> engine, args.toArray(String[]::new));
    }

    @Test
    void stagesTheRenderedPolicyAndManagedSettingsAsTheImageHasThemThenInstalls() throws IOException {
        engine.onExec(ID, "root", PREPARE, ok("")).onExec(ID, "root", INSTALL, ok("claude-devc-install-policy: applied"))
                .onExec(ID, "root", STATUS, ok("result=ok\nclosed=yes\n"));
        CliRun run = apply().exits(0);
        // Every file of the compiled policy and the managed settings (ImageLayout.POLICY_FILES), as one set.
        assertEquals("applied to box: " + String.join(", ", ImageLayout.POLICY_FILES.stream()
                .map(ImageLayout.PlacedFile::path).toList()) + "; firewall in force\n", run.out());
        List<String> steps = engine.calls.stream().filter(c -> c.startsWith("exec") || c.startsWith("write"))
                .toList();
        assertEquals(List.of("exec " + ID + " root " + PREPARE,
                "write " + ID + " " + ImageLayout.STAGING + " " + ImageLayout.POLICY_FILES.stream()
                        .map(f -> f.path().substring(1)).sorted().toList(),
                "exec " + ID + " root " + INSTALL, "exec " + ID + " root " + STATUS), steps);
        // The same bytes generate wrote, which the Dockerfile copies into the next image.
        Map<String, byte[]> staged = engine.written.get(ID);
        Path rendered = project.resolve(".devcontainer");
        for (ImageLayout.PlacedFile file : ImageLayout.POLICY_FILES) {
            assertArrayEquals(Files.readAllBytes(rendered.resolve(file.name())),
                    staged.get(ImageLayout.STAGING + file.path()), file.name());
        }
        assertTrue(new String(staged.get(ImageLayout.STAGING + ImageLayout.DNSMASQ.path())).contains("added.test"));
    }

    /**
     * Review: a project whose descriptor is claude-devc.json (or .yml) has only that file read-only in the box;
     * the agent wrote claude-devc.yaml beside it, which the reader looked for first, and the user's next apply
     * made the agent's allowlist live (reproduced on a running enforce box: evil.test and 10.0.0.0/8 allowed).
     */
    @Test
    void aDescriptorTheAgentPlantedBesideTheProjectsOneIsRefusedAndNothingIsStaged() throws IOException {
        Files.delete(project.resolve("claude-devc.yaml"));
        Files.writeString(project.resolve("claude-devc.json"), "{\"name\": \"demo\", \"claudeCode\": "
                + "{\"install\": \"none\"}, \"network\": {\"allowedDomains\": [\"allowed.test\"]}}\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Files.writeString(project.resolve("claude-devc.yaml"), """
                name: demo
                claudeCode:
                  install: none
                network:
                  allowedDomains: [allowed.test, evil.test]
                """);
        engine.onExec(ID, "root", PREPARE, ok("")).onExec(ID, "root", INSTALL, ok("claude-devc-install-policy: applied"))
                .onExec(ID, "root", STATUS, ok("result=ok\nclosed=yes\n"));
        CliRun run = apply().exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(run.err().contains("several descriptors in " + project), run.err());
        assertFalse(engine.written.containsKey(ID), "nothing staged: " + engine.written.keySet());
        assertFalse(engine.calls.stream().anyMatch(c -> c.startsWith("exec")), engine.calls.toString());
    }

    @Test
    void theDockerfileCopiesEachPolicyFileToThePathApplyInstallsItAt() throws IOException {
        String dockerfile = Files.readString(project.resolve(".devcontainer/Dockerfile"));
        for (ImageLayout.PlacedFile file : ImageLayout.POLICY_FILES) {
            assertTrue(dockerfile.contains("\nCOPY " + file.name() + " " + file.path() + "\n"), file.toString());
        }
    }

    @Test
    void aFailedApplyLeavesItClosedAndSaysSoWithItsOwnExitCode() throws IOException {
        engine.onExec(ID, "root", PREPARE, ok(""))
                .onExec(ID, "root", INSTALL, exit(4, "claude-devc-install-policy: FAILED: ..."))
                .onExec(ID, "root", STATUS, exit(1, "result=failed\nclosed=yes\nerror=policy refused\n"));
        CliRun run = apply("--json").exits(ExitCodes.APPLY_FAILED);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("closed", json.get("outcome").asText());
        assertEquals("failed", json.get("firewall").get("result").asText());
        assertTrue(run.err().contains("the previous files are back and the container is CLOSED"), run.err());
        // Review: the agent's sudo entry applies the restored files at once (reproduced on a running box after a
        // failed apply: result=ok, the previous allowlist live), so CLOSED lasts only as long as it chooses.
        assertTrue(run.err().contains("or the agent's own 'sudo " + ImageLayout.FIREWALL + "', which it may run at "
                + "any time; the last two apply the PREVIOUS policy"), run.err());
    }

    @Test
    void refusedStagedFilesChangeNothingAndAContainerThatCannotBeClosedIsStopped() throws IOException {
        engine.onExec(ID, "root", PREPARE, ok(""))
                .onExec(ID, "root", INSTALL, exit(3, "refused: x is not root's"), exit(5, "FAILED"))
                .onExec(ID, "root", STATUS, ok("result=ok\nclosed=yes\n"), exit(1, "result=failed\nclosed=no\n"));
        CliRun refused = apply("--json").exits(ExitCodes.APPLY_FAILED);
        assertEquals("refused", new ObjectMapper().readTree(refused.out()).get("outcome").asText());
        assertTrue(refused.err().contains("refused the staged files: nothing changed, the firewall is in force"),
                refused.err());
        assertFalse(engine.calls.contains("stop container " + ID), engine.calls.toString());
        CliRun open = apply("--json").exits(ExitCodes.APPLY_FAILED);
        assertEquals("stopped", new ObjectMapper().readTree(open.out()).get("outcome").asText());
        assertTrue(open.err().contains("is not known to be closed (or the previous files could not be put back): the container was "
                + "stopped"), open.err());
        assertTrue(engine.calls.contains("stop container " + ID), engine.calls.toString());
    }

    @Test
    void anImageWithoutTheInstallerIsNotReadyAndNothingIsStaged() {
        engine.onExec(ID, "root", PREPARE, exit(126, "exec: no such file or directory"));
        CliRun run = apply("--container", "box").exits(ExitCodes.NOT_READY);
        assertTrue(run.err().contains("has no installer: claude-devc generate, build, and restart"), run.err());
        assertTrue(engine.written.isEmpty(), engine.calls.toString());
    }

    @Test
    void aStagingFolderTheInstallerRefusesStagesNothing() {
        engine.onExec(ID, "root", PREPARE, exit(3, "claude-devc-install-policy: refused: /var/lib/claude-devc is not"
                + " a root-owned folder only root may write; nothing was installed"));
        CliRun run = apply().exits(ExitCodes.APPLY_FAILED);
        assertTrue(run.err().contains("refused to stage: exit 3: "), run.err());
        assertTrue(engine.written.isEmpty(), engine.calls.toString());
    }

    @Test
    void noRunningDevContainerIsNotReady() {
        CliRun run = apply("--container", "other").exits(ExitCodes.NOT_READY);
        assertTrue(run.err().contains("no running container other"), run.err());
    }
}
