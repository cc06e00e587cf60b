package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.cli.CliRun;
import dev.claudedevc.model.StartupVariables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loader, shell and interpreter start-up variables reach root's processes through the container's environment:
 * every name of {@link StartupVariables} (and an example of each prefix) is refused in the descriptor's
 * containerEnv, located, and in a devcontainer.json's containerEnv and remoteEnv by {@code validate}.
 */
class StartupVariablesTest {

    private static final DescriptorReader READER = new DescriptorReader();

    static Stream<String> refusedNames() {
        List<String> names = new ArrayList<>(StartupVariables.NAMES);
        names.addAll(List.of("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG_OUTPUT",
                "DYLD_INSERT_LIBRARIES", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"));
        for (String prefix : StartupVariables.PREFIXES) {
            names.add(prefix + "X");
        }
        return names.stream().filter(n -> Syntax.ENV_NAME.matcher(n).matches()).sorted();
    }

    @ParameterizedTest
    @MethodSource("refusedNames")
    void theDescriptorRefusesItLocated(String name) {
        byte[] yaml = ("name: demo\ncontainerEnv:\n  NODE_ENV: development\n  " + name + ": x\n")
                .getBytes(StandardCharsets.UTF_8);
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> READER.parse(yaml, Path.of("claude-devc.yaml")));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertTrue(e.getMessage().startsWith("claude-devc.yaml:4:3: containerEnv." + name + ": '" + name
                + "' makes programs load or run other code"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODE_ENV", "LDAP_HOST", "GIT_AUTHOR_NAME", "PYTHONUNBUFFERED", "ENVIRONMENT", "LD"})
    void ordinaryNamesStayAllowed(String name) {
        READER.parse(("name: demo\ncontainerEnv: {" + name + ": x}\n").getBytes(StandardCharsets.UTF_8),
                Path.of("claude-devc.yaml"));
    }

    @Test
    void validateRefusesThemInATemplatesContainerEnvAndRemoteEnv(@TempDir Path project) throws IOException {
        Files.writeString(project.resolve("claude-devc.yaml"), "name: demo\nclaudeCode: {install: none}\n");
        CliRun.of("generate", "-C", project.toString()).exits(0);
        Path json = project.resolve(".devcontainer/devcontainer.json");
        String text = Files.readString(json);
        List<String> names = refusedNames().toList();
        int remoteEnvLine = text.substring(0, text.indexOf("\"remoteEnv\": {")).split("\n", -1).length;
        StringBuilder remoteEnv = new StringBuilder("\"remoteEnv\": {");
        names.forEach(n -> remoteEnv.append("\n    \"").append(n).append("\": \"/tmp/x\","));
        String edited = text.replace("\"remoteEnv\": {", remoteEnv.toString())
                .replace("\"containerEnv\": {", "\"containerEnv\": {\"BASH_ENV\": \"/tmp/y\",");
        Files.writeString(json, edited);
        CliRun run = CliRun.of("validate", "-C", project.toString()).exits(6);
        String out = run.out();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            assertTrue(out.contains("devcontainer.json:" + (remoteEnvLine + 1 + i) + ":5: remoteEnv." + name + ": '" + name
                    + "' makes programs"), name + "\n" + out);
        }
        assertTrue(out.contains("containerEnv.BASH_ENV: 'BASH_ENV' makes programs"), out);
        assertFalse(out.contains("containerEnv.CLAUDE_CONFIG_DIR"), out);
    }
}
