package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudedevc.TestPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's --json result is one object whose first key is its outcome (no Docker needed here). */
class JsonResultsTest {

    @TempDir
    Path repo;

    private static JsonNode json(CliRun run) throws IOException {
        JsonNode node = new ObjectMapper().readTree(run.out());
        assertEquals("outcome", node.fieldNames().next(), "the outcome comes first: " + run.out());
        return node;
    }

    @Test
    void theProjectCommandsReportTheirOutcomeFirst() throws IOException {
        Files.writeString(repo.resolve("package.json"), "{}");
        assertEquals("written", json(CliRun.of("init", "-C", repo.toString(), "--claude-install", "none", "--json")
                .exits(0)).get("outcome").asText());
        assertEquals("written", json(CliRun.of("generate", "-C", repo.toString(), "--json").exits(0))
                .get("outcome").asText());
        assertEquals("up-to-date", json(CliRun.of("generate", "-C", repo.toString(), "--check", "--json").exits(0))
                .get("outcome").asText());
        assertEquals("valid", json(CliRun.of("validate", "-C", repo.toString(), "--json").exits(0))
                .get("outcome").asText());

        Path dockerfile = repo.resolve(".devcontainer/Dockerfile");
        Files.writeString(dockerfile, Files.readString(dockerfile).replace("USER ", "USER root\n# was: "));
        JsonNode drifted = json(CliRun.of("generate", "-C", repo.toString(), "--check", "--json")
                .exits(ExitCodes.DRIFT));
        assertEquals("drifted", drifted.get("outcome").asText());
        assertEquals(List.of("Dockerfile"), new ObjectMapper().convertValue(drifted.get("drifted"), List.class));
        JsonNode invalid = json(CliRun.of("validate", "-C", repo.toString(), "--json").exits(ExitCodes.INVALID_OUTPUT));
        assertEquals("invalid", invalid.get("outcome").asText());
    }

    @Test
    void presetsReportOk() throws IOException {
        JsonNode list = json(CliRun.of("presets", "--json").exits(0));
        assertEquals("ok", list.get("outcome").asText());
        assertTrue(list.get("presets").size() > 3, list.toString());
        assertEquals("npm", json(CliRun.of("presets", "npm", "--json").exits(0)).get("name").asText());
    }

    @Test
    void oneResultHasOneOutcome() {
        StringWriter text = new StringWriter();
        JsonOption.print(new PrintWriter(text, true), "built", Map.of("id", "sha256:1"));
        assertEquals("{\n  \"outcome\" : \"built\",\n  \"id\" : \"sha256:1\"\n}\n", text.toString());
        assertThrows(IllegalArgumentException.class, () -> JsonOption.print(new PrintWriter(new StringWriter()),
                "built", Map.of("outcome", "other")));
        assertThrows(IllegalArgumentException.class, () -> JsonOption.print(new PrintWriter(new StringWriter()),
                "Built OK", Map.of()));
    }

    /** One --json option: every command that has one has it from the mixin, so its help and shape are the same. */
    @Test
    void onlyTheMixinDeclaresJson() throws IOException {
        Path cli = TestPaths.projectRoot().resolve("src/main/java/dev/claudedevc/cli");
        try (Stream<Path> files = Files.list(cli)) {
            List<String> declaring = files.filter(f -> {
                try {
                    return Files.readString(f).contains("names = \"--json\"");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of("JsonOption.java"), declaring);
        }
    }
}
