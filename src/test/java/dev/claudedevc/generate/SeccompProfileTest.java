package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.policy.TestPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nested sandbox's parts agree: the profile file, the one runArg naming it (exactly what the boundary check
 * accepts), bubblewrap in the image and the managed sandbox keys come together, and go together with
 * {@code claudeCode.sandbox: false}. The profile refuses what Docker documents its default as refusing, except the
 * namespace and mount calls bubblewrap needs.
 */
class SeccompProfileTest {

    private static GeneratedTree render(Path dir, String descriptor) throws IOException {
        Files.writeString(dir.resolve("claude-devc.yaml"), descriptor);
        var loaded = DescriptorReader.load(dir, Optional.empty());
        return Generator.forTemplates(Optional.empty()).generate(loaded, TestPolicies.of(loaded));
    }

    @Test
    void theProfileTheRunArgBubblewrapAndTheSandboxKeysComeTogether(@TempDir Path dir) throws IOException {
        GeneratedTree tree = render(dir, "name: t\n");
        JsonNode profile = new ObjectMapper().readTree(tree.get(ImageLayout.SECCOMP_FILE).orElseThrow().text());
        assertEquals("SCMP_ACT_ALLOW", profile.path("defaultAction").asText());
        List<String> blocked = new ArrayList<>();
        profile.path("syscalls").get(0).path("names").forEach(n -> blocked.add(n.asText()));
        assertEquals("SCMP_ACT_ERRNO", profile.path("syscalls").get(0).path("action").asText());
        for (String call : List.of("keyctl", "add_key", "request_key", "bpf", "kexec_load", "init_module",
                "finit_module", "open_by_handle_at", "perf_event_open", "userfaultfd", "setns", "io_uring_setup")) {
            assertTrue(blocked.contains(call), call);
        }
        for (String call : SeccompProfile.FOR_BUBBLEWRAP) {
            assertFalse(blocked.contains(call), call + " is what bubblewrap needs");
        }
        JsonNode devcontainer = new ObjectMapper().readTree(tree.get("devcontainer.json").orElseThrow().text()
                .replaceAll("(?m)^\\s*//.*$", ""));
        List<String> runArgs = new ArrayList<>();
        devcontainer.path("runArgs").forEach(a -> runArgs.add(a.asText()));
        assertTrue(runArgs.contains("--security-opt=seccomp=${localWorkspaceFolder}/.devcontainer/"
                + ImageLayout.SECCOMP_FILE), runArgs.toString());
        assertTrue(tree.get("Dockerfile").orElseThrow().text().contains(" bubblewrap \\\n"));
        JsonNode settings = new ObjectMapper().readTree(tree.get(ManagedSettings.FILE).orElseThrow().text());
        assertTrue(settings.path("sandbox").path("enabled").asBoolean());
        assertTrue(settings.path("sandbox").path("enableWeakerNestedSandbox").asBoolean());
    }

    @Test
    void sandboxFalseDropsAllOfIt(@TempDir Path dir) throws IOException {
        GeneratedTree tree = render(dir, "name: t\nclaudeCode: {sandbox: false}\n");
        assertTrue(tree.get(ImageLayout.SECCOMP_FILE).isEmpty());
        assertFalse(tree.get("devcontainer.json").orElseThrow().text().contains("seccomp"));
        assertFalse(tree.get("Dockerfile").orElseThrow().text().contains("bubblewrap"));
        JsonNode settings = new ObjectMapper().readTree(tree.get(ManagedSettings.FILE).orElseThrow().text());
        assertFalse(settings.path("sandbox").path("enabled").asBoolean(true));
        assertFalse(settings.path("sandbox").has("enableWeakerNestedSandbox"));
    }
}
