package dev.claudedevc.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The merged configuration (image label, then devcontainer.json) is what the Dev Containers tools apply: what an
 * official image's label adds is found even when devcontainer.json is clean.
 */
class MergedConfigurationTest {

    static final String CLEAN = """
            {"build": {"dockerfile": "Dockerfile"}, "runArgs": ["--cap-add=NET_ADMIN", "--cap-add=NET_RAW"],
             "remoteUser": "vscode", "containerUser": "vscode", "overrideCommand": false}
            """;
    /** Shaped like an official image's label: common-utils, then the image's own entry. */
    static final String OFFICIAL_LABEL = """
            [{"id": "ghcr.io/devcontainers/features/common-utils:2"},
             {"id": "ghcr.io/devcontainers/features/go:1", "capAdd": ["SYS_PTRACE"],
              "securityOpt": ["seccomp=unconfined"]},
             {"remoteUser": "vscode"}]
            """;

    private static JsonNode json(String text) {
        return DevcontainerCheck.parse(text, "test");
    }

    private static List<String> high(Optional<String> label, String devcontainer) {
        return MergedConfiguration.check(label, json(devcontainer)).stream()
                .filter(f -> f.severity() == MergedConfiguration.Severity.HIGH).map(Object::toString).toList();
    }

    @Test
    void aCleanDevcontainerWithAResetLabelHasNoFindings() {
        assertEquals(List.of(), MergedConfiguration.check(Optional.of("[]"), json(CLEAN)));
        assertEquals(List.of(), MergedConfiguration.check(Optional.empty(), json(CLEAN)));
    }

    @Test
    void anOfficialImagesLabelAddsPtraceAndUnconfinedSeccompEvenUnderACleanDevcontainer() {
        List<String> found = high(Optional.of(OFFICIAL_LABEL), CLEAN);
        assertEquals(2, found.size(), found::toString);
        assertTrue(found.get(0).contains("entry 2 (ghcr.io/devcontainers/features/go:1): capAdd SYS_PTRACE"), found::toString);
        assertTrue(found.get(1).contains("securityOpt seccomp=unconfined"), found::toString);
    }

    @Test
    void theLabelsEntrypointCommandsEnvironmentAndSocketMountsAreHigh() {
        String label = """
                [{"entrypoint": "/usr/local/share/docker-init.sh", "postStartCommand": "curl evil.example",
                  "containerEnv": {"LD_PRELOAD": "/tmp/x.so"}, "privileged": true,
                  "mounts": [{"source": "/var/run/docker.sock", "target": "/var/run/docker.sock", "type": "bind"}]}]
                """;
        List<String> found = high(Optional.of(label), CLEAN);
        for (String expected : List.of("privileged: true", "entrypoint /usr/local/share/docker-init.sh",
                "postStartCommand from the image", "containerEnv.LD_PRELOAD", "engine's socket")) {
            assertTrue(found.stream().anyMatch(f -> f.contains(expected)), expected + " in " + found);
        }
    }

    @Test
    void theEntryTheDevContainersCliRecordsFromDevcontainerJsonItselfIsNotAFinding() {
        // `devcontainer up` builds the image with devcontainer.json's own settings in its label.
        String devcontainer = """
                {"build": {"dockerfile": "Dockerfile"}, "remoteUser": "vscode", "containerUser": "vscode",
                 "overrideCommand": false, "postStartCommand": "/usr/local/sbin/claude-devc-firewall wait",
                 "remoteEnv": {"PATH": "/usr/bin:/bin"},
                 "mounts": ["source=${localWorkspaceFolder}/.git,target=/workspace/.git,type=bind,readonly"]}
                """;
        String recorded = "[" + devcontainer + "]";
        assertEquals(List.of(), MergedConfiguration.check(Optional.of(recorded), json(devcontainer)));
        // The same keys with other values in the label are still the image's own.
        String other = recorded.replace("claude-devc-firewall wait", "curl evil.test").replace("/usr/bin:/bin",
                "/tmp:/usr/bin").replace(".git,target", ".ssh,target");
        List<String> found = MergedConfiguration.check(Optional.of(other), json(devcontainer)).stream()
                .map(Object::toString).toList();
        for (String expected : List.of("postStartCommand from the image", "remoteEnv.PATH", "mounts a host folder")) {
            assertTrue(found.stream().anyMatch(f -> f.contains(expected)), expected + " in " + found);
        }
    }

    @Test
    void theLastEntryThatSetsAUserWinsSoDevcontainerJsonDecides() {
        assertTrue(high(Optional.of("[{\"remoteUser\": \"root\"}]"), CLEAN).isEmpty(), "devcontainer.json comes last");
        String noUser = "{\"overrideCommand\": false}";
        assertEquals(List.of("high: merged: remoteUser is root"),
                high(Optional.of("[{\"remoteUser\": \"root\"}]"), noUser));
        assertTrue(high(Optional.of("[{\"overrideCommand\": true}]"), noUser.replace("false", "true")).stream()
                .anyMatch(f -> f.contains("overrideCommand")));
    }

    @Test
    void aLabelThatIsNotJsonIsHigh() {
        assertTrue(high(Optional.of("[{"), CLEAN).get(0).contains("not valid JSON"));
    }

    @Test
    void theGeneratedDockerfileResetsTheLabelInItsLastStage() {
        assertTrue(MergedConfiguration.resetsLabel("ARG X\nFROM a\nLABEL devcontainer.metadata=\"[]\"\nUSER dev\n"));
        assertTrue(!MergedConfiguration.resetsLabel("ARG X\nFROM a\nLABEL devcontainer.metadata=\"[]\"\nFROM b\n"),
                "a reset in an earlier stage does not count");
        assertTrue(!MergedConfiguration.resetsLabel("ARG X\nFROM a\nUSER dev\n"));
    }
}
