package dev.claudedevc.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * validate's start-path checks: a devcontainer.json that lets the tooling replace the image's entrypoint, or does not
 * wait for the firewall, and a Dockerfile whose last stage loses the entrypoint or runs as root, are refused.
 */
class StartPathChecksTest {

    private static final Path EXAMPLE = TestPaths.projectRoot().resolve("devcontainer-examples/node/.devcontainer");

    private static ObjectNode devcontainer() throws IOException {
        return (ObjectNode) DevcontainerCheck.parse(Files.readString(EXAMPLE.resolve("devcontainer.json")), "x");
    }

    private static String dockerfile() throws IOException {
        return Files.readString(EXAMPLE.resolve("Dockerfile"));
    }

    @Test
    void theGeneratedFilesPass() throws IOException {
        assertEquals(List.of(), DevcontainerCheck.structure(devcontainer()));
        assertEquals(List.of(), DockerfileCheck.structure(dockerfile()));
    }

    @Test
    void overrideCommandTrueOrUnsetIsRefused() throws IOException {
        ObjectNode json = devcontainer();
        json.put("overrideCommand", true);
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("overrideCommand must be false"));
        json.remove("overrideCommand");
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("overrideCommand must be false (is "
                + "unset"));
        json.put("overrideCommand", "false"); // a string is not the boolean the tooling reads
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("overrideCommand must be false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"onCreateCommand", "updateContentCommand", "postCreateCommand"})
    void aCommandThatRunsBeforeTheWaitMustStartWithIt(String hook) throws IOException {
        String wait = dev.claudedevc.model.ImageLayout.WAIT_COMMAND;
        for (String unguarded : List.of("npm ci", wait + "; npm ci", "npm ci && " + wait, wait + " && a; b",
                wait + " && a || b", wait + " && a & b", wait + " && a\nb", wait + " || true")) {
            ObjectNode json = devcontainer();
            json.put(hook, unguarded);
            assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains(hook + ": runs before"),
                    unguarded);
        }
        ObjectNode json = devcontainer();
        json.set(hook, new com.fasterxml.jackson.databind.ObjectMapper().readTree("[\"npm\", \"ci\"]"));
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains(hook + ": runs before"));
        json.put(hook, wait + " && npm ci && npm run build | tee /tmp/build.log");
        assertEquals(List.of(), DevcontainerCheck.structure(json));
    }

    @Test
    void theContainerUserIsTheRemoteUserAndNeitherIsRootByUid() throws IOException {
        ObjectNode json = devcontainer();
        json.put("containerUser", "root");
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("containerUser must be"));
        for (String root : List.of("0", "00", "0:0", "root:root")) {
            json = devcontainer();
            json.put("remoteUser", root);
            json.put("containerUser", root);
            assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("remoteUser must be a non-root"),
                    root);
        }
    }

    @Test
    void aComposeConfigurationIsRefused() throws IOException {
        ObjectNode json = devcontainer();
        json.put("dockerComposeFile", "compose.yml");
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("dockerComposeFile:"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"loginInteractiveShell", "interactiveShell", "loginShell", "None", ""})
    void aUserEnvProbeThatRunsTheAgentsShellStartUpFilesIsRefused(String probe) throws IOException {
        ObjectNode json = devcontainer();
        json.put("userEnvProbe", probe);
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("userEnvProbe must be \"none\""));
        json.remove("userEnvProbe");
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("unset, which means"
                + " loginInteractiveShell"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"sudo /usr/local/sbin/claude-devc-firewall\"",                  // the old apply: nothing waits for the entrypoint
        "\"true || /usr/local/sbin/claude-devc-firewall wait\"",          // never runs it
        "\"/usr/local/sbin/claude-devc-firewall wait; true\"",            // masks its exit
        "[\"/usr/local/sbin/claude-devc-firewall\", \"status\"]",
        "{\"a\": \"echo hi\"}"})
    void aPostStartCommandThatDoesNotExactlyWaitForTheFirewallIsRefused(String value) throws IOException {
        ObjectNode json = devcontainer();
        json.set("postStartCommand", new com.fasterxml.jackson.databind.ObjectMapper().readTree(value));
        assertTrue(String.join("\n", DevcontainerCheck.structure(json)).contains("postStartCommand must be exactly"),
                value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"/usr/local/sbin/claude-devc-firewall wait\"",
        "[\"/usr/local/sbin/claude-devc-firewall\", \"wait\"]",
        "{\"firewall\": \"/usr/local/sbin/claude-devc-firewall wait\", \"deps\": \"npm ci\"}"})
    void theWaitAloneOrBesideATeamsOwnStepsPasses(String value) throws IOException {
        ObjectNode json = devcontainer();
        json.set("postStartCommand", new com.fasterxml.jackson.databind.ObjectMapper().readTree(value));
        assertEquals(List.of(), DevcontainerCheck.structure(json), value);
    }

    @Test
    void aDockerfileWithoutTheEntrypointIsRefused() throws IOException {
        String without = dockerfile().replace("ENTRYPOINT [\"/usr/local/sbin/claude-devc-entrypoint\"]\n", "");
        assertTrue(String.join("\n", DockerfileCheck.structure(without)).contains("ENTRYPOINT must be"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ENTRYPOINT /usr/local/sbin/claude-devc-entrypoint",             // shell form: runs via sh -c, drops CMD
        "ENTRYPOINT [\"/usr/local/sbin/claude-devc-entrypoint\", \"bash\"]",
        "ENTRYPOINT [\"/bin/sh\", \"-c\", \"sleep infinity\"]"})
    void aLaterOrDifferentEntrypointIsRefused(String line) throws IOException {
        String changed = dockerfile() + line + "\n";
        assertTrue(String.join("\n", DockerfileCheck.structure(changed)).contains("ENTRYPOINT must be"), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USER root", "USER 0", "USER 00", "USER 000:0", "USER root:root", "user 0:0"})
    void aLastStageRunningAsRootIsRefused(String line) throws IOException {
        String changed = dockerfile() + line + "\n";
        assertTrue(String.join("\n", DockerfileCheck.structure(changed)).contains("USER must be the non-root user"),
                line);
    }

    @Test
    void onlyTheLastStageCounts() throws IOException {
        String twoStages = dockerfile() + "FROM scratch AS other\nUSER nobody\n";
        assertTrue(String.join("\n", DockerfileCheck.structure(twoStages)).contains("ENTRYPOINT must be"));
    }

    @Test
    void continuationLinesAndCommentsAreRead() {
        String text = "FROM x\n# ENTRYPOINT [\"/usr/local/sbin/claude-devc-entrypoint\"]\nUSER \\\n  dev\n"
                + "ENTRYPOINT [\"/usr/local/sbin/claude-devc-entrypoint\"]\n";
        assertEquals(List.of(), DockerfileCheck.structure(text));
        assertEquals("dev", DockerfileCheck.instructions(text).get(1).args());
    }

    @Test
    void baseImagesResolveTheBaseImageArgAndSkipStagesAndScratch() throws IOException {
        assertEquals(List.of("debian:bookworm"), DockerfileCheck.baseImages(dockerfile(), java.util.Map.of()));
        assertEquals(List.of("local/debian:bookworm"), DockerfileCheck.baseImages(dockerfile(),
                java.util.Map.of("CLAUDE_DEVC_BASE_IMAGE", "local/debian:bookworm")));
        String multi = "ARG B=x:1\nFROM --platform=linux/amd64 $B AS build\nFROM build\nFROM scratch\n"
                + "FROM ${OTHER}\nFROM y:2 AS y\n";
        assertEquals(List.of("x:1", "y:2"), DockerfileCheck.baseImages(multi, java.util.Map.of()));
    }
}
