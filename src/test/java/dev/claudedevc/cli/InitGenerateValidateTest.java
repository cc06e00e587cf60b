package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudedevc.TestPaths;
import dev.claudedevc.validate.DevcontainerCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's commands as a user runs them, through the CLI entry point. */
class InitGenerateValidateTest {

    @TempDir
    Path repo;

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(repo.relativize(f).toString(), Files.readString(f) + "@" + Files.getLastModifiedTime(f));
            }
        }
        return files;
    }

    @Test
    void initInARepoWithPackageJsonPicksNpmAndRendersASchemaValidDevcontainer() throws IOException {
        Files.writeString(repo.resolve("package.json"), "{}\n");
        CliRun run = CliRun.of("init", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("detected: npm"), run.err());
        assertTrue(run.out().contains("created") && run.out().contains("devcontainer.json"), run.out());
        String descriptor = Files.readString(repo.resolve("claude-devc.yaml"));
        assertTrue(descriptor.contains("- anthropic") && descriptor.contains("- npm"), descriptor);
        String policy = Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf"));
        assertTrue(policy.contains("#   allow registry.npmjs.org:443,80  preset npm: registry.npmjs.org\n"), policy);
        assertTrue(Files.isExecutable(repo.resolve(".devcontainer/claude-devc-firewall.sh")));

        JsonNode json = DevcontainerCheck.parse(Files.readString(repo.resolve(".devcontainer/devcontainer.json")), "x");
        assertEquals(List.of(), DevcontainerCheck.schema(json, TestPaths.devcontainerSchema().toString()));
        CliRun.of("validate", "-C", repo.toString(), "--schema", TestPaths.devcontainerSchema().toString()).exits(0);
    }

    @Test
    void initDetectsEveryEcosystemMarker() throws IOException {
        for (String marker : List.of("pom.xml", "pyproject.toml", "go.mod", "Cargo.toml")) {
            Files.writeString(repo.resolve(marker), "");
        }
        CliRun run = CliRun.of("init", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("detected: maven, pypi, go, crates"), run.err());
    }

    @Test
    void initRunTwiceWithoutForceLeavesTheFirstFilesUntouchedAndSaysSo() throws IOException {
        CliRun.of("init", "-C", repo.toString(), "--preset", "github").exits(0);
        Files.setLastModifiedTime(repo.resolve("claude-devc.yaml"), FileTime.fromMillis(1_000_000_000_000L));
        Map<String, String> before = snapshot();

        CliRun second = CliRun.of("init", "-C", repo.toString(), "--preset", "pypi").exits(ExitCodes.REFUSED_OVERWRITE);
        assertTrue(second.err().contains("refusing to overwrite") && second.err().contains("claude-devc.yaml")
                && second.err().contains("nothing was written"), second.err());
        assertEquals(before, snapshot());

        CliRun same = CliRun.of("init", "-C", repo.toString(), "--preset", "github").exits(0);
        assertTrue(same.out().lines().allMatch(l -> l.startsWith("unchanged")), same.out());
        assertEquals(before, snapshot());

        CliRun.of("init", "-C", repo.toString(), "--preset", "pypi", "--force").exits(0);
        assertTrue(Files.readString(repo.resolve("claude-devc.yaml")).contains("- pypi"));
    }

    @Test
    void initWithAnInvalidFlagWritesNothing() throws IOException {
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--allow", "*.com").exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(run.err().contains("too broad"), run.err());
        assertEquals(Map.of(), snapshot());
        CliRun.of("init", "-C", repo.toString(), "--name", "x;rm -rf /").exits(ExitCodes.INVALID_DESCRIPTOR);
        CliRun.of("init", "-C", repo.toString(), "--preset", "nope").exits(ExitCodes.INVALID_DESCRIPTOR);
        assertEquals(Map.of(), snapshot());
    }

    @Test
    void initBesideAProjectsOwnDevcontainerRendersANamedConfigurationAndLeavesTheProjectsFilesAlone()
            throws IOException {
        Files.createDirectories(repo.resolve(".devcontainer"));
        Files.writeString(repo.resolve(".devcontainer/Dockerfile"), "FROM mine\n");
        Files.writeString(repo.resolve(".devcontainer/devcontainer.json"), "{\"build\": {\"dockerfile\": \"Dockerfile\"}}\n");
        Files.setLastModifiedTime(repo.resolve(".devcontainer/Dockerfile"), FileTime.fromMillis(1_000_000_000_000L));
        Map<String, String> own = snapshot();

        CliRun run = CliRun.of("init", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("own dev container configuration") && run.err().contains(".devcontainer/claude"),
                run.err());
        Map<String, String> after = snapshot();
        own.forEach((path, content) -> assertEquals(content, after.get(path), path + " is the project's own"));
        assertTrue(Files.readString(repo.resolve("claude-devc.yaml")).contains("output: .devcontainer/claude"));
        Path nested = repo.resolve(".devcontainer/claude");
        JsonNode json = DevcontainerCheck.parse(Files.readString(nested.resolve("devcontainer.json")), "x");
        assertEquals("Dockerfile", json.path("build").path("dockerfile").asText(), "relative to devcontainer.json");
        assertEquals(".", json.path("build").path("context").asText());
        assertTrue(Files.isExecutable(nested.resolve("claude-devc-firewall.sh")));
        assertTrue(Files.isRegularFile(nested.resolve("claude-devc.sha256")));

        CliRun.of("generate", "-C", repo.toString(), "--check").exits(0);
        CliRun.of("validate", "-C", repo.toString(), "--schema", TestPaths.devcontainerSchema().toString()).exits(0);
        CliRun.of("init", "-C", repo.toString()).exits(0); // again: still nested, all unchanged
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        Map<String, String> last = snapshot();
        own.forEach((path, content) -> assertEquals(content, last.get(path), path + " is the project's own"));
    }

    @Test
    void initWithOutputIntoTheProjectsOwnFolderStillNeverOverwritesItsFiles() throws IOException {
        Files.createDirectories(repo.resolve(".devcontainer"));
        Files.writeString(repo.resolve(".devcontainer/Dockerfile"), "FROM mine\n");
        CliRun.of("init", "-C", repo.toString(), "--output", ".devcontainer").exits(ExitCodes.REFUSED_OVERWRITE);
        assertEquals("FROM mine\n", Files.readString(repo.resolve(".devcontainer/Dockerfile")));
        assertFalse(Files.exists(repo.resolve("claude-devc.yaml")), "a refusal writes nothing at all");
    }

    @Test
    void initWithOutputRendersIntoThatFolderAndEveryCommandFollowsTheDescriptor() throws IOException {
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--output", "tools/devc").exits(0);
        assertTrue(run.err().contains("--config tools/devc/devcontainer.json"), run.err());
        assertTrue(Files.isRegularFile(repo.resolve("tools/devc/devcontainer.json")));
        assertFalse(Files.exists(repo.resolve(".devcontainer")));
        CliRun.of("generate", "-C", repo.toString(), "--check").exits(0);
        Path policy = repo.resolve("tools/devc/claude-devc-policy.conf");
        Files.writeString(policy, Files.readString(policy) + "#\n");
        CliRun.of("generate", "-C", repo.toString(), "--check").exits(ExitCodes.DRIFT);
    }

    @Test
    void anOutputFolderOutsideTheProjectIsRefusedAndNothingIsWritten() throws IOException {
        for (String bad : List.of("../elsewhere", "/tmp/x", ".devcontainer/../..", ".git/hooks", ".")) {
            CliRun run = CliRun.of("init", "-C", repo.toString(), "--output", bad).exits(ExitCodes.INVALID_DESCRIPTOR);
            assertTrue(run.err().contains("--output"), run.err());
            assertEquals(Map.of(), snapshot(), bad);
        }
    }

    @Test
    void anOutputFolderThroughASymbolicLinkIsRefusedAndNothingIsWrittenWhereItPoints(@TempDir Path outside)
            throws IOException {
        Files.createSymbolicLink(repo.resolve("link"), outside);
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--output", "link/devc")
                .exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(run.err().contains("output: 'link/devc' goes through the symbolic link link"), run.err());
        // A .devcontainer that is a link is not the project's to write through either.
        Files.createSymbolicLink(repo.resolve(".devcontainer"), outside);
        CliRun.of("init", "-C", repo.toString(), "--output", ".devcontainer").exits(ExitCodes.INVALID_DESCRIPTOR);
        CliRun.of("init", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.toList(), "nothing written through the link");
        }
        assertFalse(Files.exists(repo.resolve("claude-devc.yaml")));

        Files.writeString(repo.resolve("claude-devc.yaml"), "name: demo\noutput: link/devc\n");
        CliRun gen = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(gen.err().startsWith(repo.resolve("claude-devc.yaml") + ":2:9: output:")
                || gen.err().contains("claude-devc.yaml:2:9: output:"), gen.err());
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.toList(), "nothing written through the link");
        }
    }

    @Test
    void generateCheckCatchesAOneByteEditAndPrintsAUnifiedDiff() throws IOException {
        CliRun.of("init", "-C", repo.toString()).exits(0);
        CliRun.of("generate", "-C", repo.toString(), "--check").exits(0);

        Path policy = repo.resolve(".devcontainer/claude-devc-policy.conf");
        String text = Files.readString(policy);
        Files.writeString(policy, text.replace("mode enforce", "mode enforcf"));
        CliRun drift = CliRun.of("generate", "-C", repo.toString(), "--check").exits(ExitCodes.DRIFT);
        assertTrue(drift.out().contains("--- a/claude-devc-policy.conf") && drift.out().contains("-mode enforcf")
                && drift.out().contains("+mode enforce") && drift.out().contains("@@ "), drift.out());
        assertTrue(drift.err().contains("claude-devc-policy.conf"), drift.err());
        assertEquals(text.replace("mode enforce", "mode enforcf"), Files.readString(policy), "--check writes nothing");
    }

    @Test
    void generateReplacesItsOwnFilesButNotHandEditedOnesWithoutForce() throws IOException {
        CliRun.of("init", "-C", repo.toString()).exits(0);
        Path descriptor = repo.resolve("claude-devc.yaml");
        Files.writeString(descriptor, Files.readString(descriptor).replace("allowedDomains: []",
                "allowedDomains: [api.example.com]"));
        CliRun regen = CliRun.of("generate", "-C", repo.toString()).exits(0);
        // What each file went through, by name: the allowlist feeds the policy and Claude Code's settings only.
        Map<String, String> outcomes = new TreeMap<>();
        String dir = repo.resolve(".devcontainer").toString() + "/";
        regen.out().lines().forEach(line -> {
            String[] f = line.split(" +", 2);
            assertTrue(f.length == 2 && f[1].startsWith(dir), "one outcome and a file per line: " + line);
            outcomes.put(f[1].substring(dir.length()), f[0]);
        });
        assertEquals("updated", outcomes.get("claude-devc-policy.conf"), regen.out());
        assertEquals("updated", outcomes.get("claude-code-managed-settings.json"), regen.out());
        for (String untouched : List.of("Dockerfile", "devcontainer.json", "claude-devc-firewall.sh",
                "claude-devc-entrypoint.sh")) {
            assertEquals("unchanged", outcomes.get(untouched), untouched + ": " + regen.out());
        }
        assertTrue(Files.readString(repo.resolve(".devcontainer/claude-devc-policy.conf")).contains("api.example.com"));
        assertTrue(Files.readString(repo.resolve(".devcontainer/claude-code-managed-settings.json"))
                .contains("\"api.example.com:443\""));

        Path dockerfile = repo.resolve(".devcontainer/Dockerfile");
        Files.writeString(dockerfile, Files.readString(dockerfile) + "# my edit\n");
        Files.writeString(descriptor, Files.readString(descriptor).replace("packages: []", "packages: [git]"));
        CliRun refused = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.REFUSED_OVERWRITE);
        assertTrue(refused.err().contains("Dockerfile"), refused.err());
        assertTrue(Files.readString(dockerfile).endsWith("# my edit\n"));
        CliRun.of("generate", "-C", repo.toString(), "--force").exits(0);
        assertFalse(Files.readString(dockerfile).contains("# my edit"));
    }

    @Test
    void aCertificateDroppedFromTheDescriptorIsDeletedSoTheImageNoLongerTrustsIt() throws IOException {
        String pem = Files.readString(TestPaths.projectRoot().resolve("src/test/resources/descriptors/valid/certs/corp-root.crt"));
        Files.createDirectories(repo.resolve("certs"));
        Files.writeString(repo.resolve("certs/root-a.pem"), pem);
        Files.writeString(repo.resolve("certs/root-b.pem"), pem);
        Path descriptor = repo.resolve("claude-devc.yaml");
        Files.writeString(descriptor, "name: demo\ncaCertificates: [certs/root-a.pem, certs/root-b.pem]\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        Path a = repo.resolve(".devcontainer/ca-certificates/root-a.crt");
        Path b = repo.resolve(".devcontainer/ca-certificates/root-b.crt");
        assertTrue(Files.isRegularFile(a) && Files.isRegularFile(b));

        Files.writeString(descriptor, "name: demo\ncaCertificates: [certs/root-a.pem]\n");
        CliRun regen = CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertTrue(regen.out().lines().anyMatch(l -> l.matches("deleted +.*ca-certificates/root-b\\.crt")), regen.out());
        assertTrue(Files.isRegularFile(a));
        assertFalse(Files.exists(b));
        CliRun.of("generate", "-C", repo.toString(), "--check").exits(0);

        Files.writeString(a, pem + "# my note\n");
        Files.writeString(descriptor, "name: demo\n");
        CliRun refused = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.REFUSED_OVERWRITE);
        assertTrue(refused.err().contains("refusing to delete") && refused.err().contains("root-a.crt"),
                refused.err());
        assertTrue(Files.isRegularFile(a), "a refusal deletes nothing");
        CliRun.of("generate", "-C", repo.toString(), "--force").exits(0);
        assertFalse(Files.exists(repo.resolve(".devcontainer/ca-certificates")), "the emptied folder goes too");
    }

    @Test
    void aManifestNamingPathsOutsideTheFolderDeletesNothing() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: demo\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        Path outside = repo.resolve("keep.txt");
        Files.writeString(outside, "mine\n");
        String sha = java.util.HexFormat.of().formatHex(uncheckedSha256(Files.readAllBytes(outside)));
        Path manifest = repo.resolve(".devcontainer/claude-devc.sha256");
        Files.writeString(manifest, Files.readString(manifest) + sha + "  ../keep.txt\n" + sha + "  /tmp/x\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertEquals("mine\n", Files.readString(outside));
    }

    private static byte[] uncheckedSha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void validateReportsSchemaViolationsOfAnEditedDevcontainerJson() throws IOException {
        CliRun.of("init", "-C", repo.toString()).exits(0);
        Path json = repo.resolve(".devcontainer/devcontainer.json");
        Files.writeString(json, Files.readString(json).replace("\"waitFor\": \"postStartCommand\"",
                "\"waitFor\": \"whenever\""));
        CliRun run = CliRun.of("validate", "-C", repo.toString(), "--schema",
                TestPaths.devcontainerSchema().toString()).exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.out().contains("FAIL devcontainer.json schema") && run.out().contains("waitFor"), run.out());
        assertTrue(run.out().contains("FAIL devcontainer.json structure"), run.out());
    }

    @Test
    void validateRefusesAHandEditedPolicyEvenWhenItsRecordsAreWellFormed() throws IOException {
        CliRun.of("init", "-C", repo.toString()).exits(0);
        Path policy = repo.resolve(".devcontainer/claude-devc-policy.conf");
        Files.writeString(policy, Files.readString(policy) + "allow-name 0 exact exfil.example.com\n");
        CliRun run = CliRun.of("validate", "-C", repo.toString()).exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.out().contains("FAIL firewall policy") && run.out().contains("differs from what the"
                + " descriptor compiles to"), run.out());
    }

    @Test
    void validateReportsAPolicyThatAllowsNothing() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: empty\n");
        CliRun run = CliRun.of("validate", "-C", repo.toString()).exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.out().contains("nothing is allowed"), run.out());
    }

    @Test
    void aMissingDescriptorSaysWhatToDo() {
        CliRun run = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(run.err().contains("claude-devc init"), run.err());
    }

    @Test
    void jsonOutputIsMachineReadable() throws IOException {
        CliRun run = CliRun.of("init", "-C", repo.toString(), "--json").exits(0);
        JsonNode result = DevcontainerCheck.parse(run.out(), "stdout");
        assertEquals("written", result.path("outcome").asText(), run.out());
        assertTrue(result.path("files").size() >= 5, run.out());
        JsonNode check = DevcontainerCheck.parse(CliRun.of("generate", "-C", repo.toString(), "--check", "--json")
                .exits(0).out(), "stdout");
        assertEquals("up-to-date", check.path("outcome").asText(), check.toString());
    }

    @Test
    void helpListsTheExitCodesAndUsageErrorsExitTwo() {
        CliRun help = CliRun.of("--help").exits(0);
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("verification failed"), help.out());
        String commands = help.out().substring(help.out().indexOf("Commands:\n") + 10, help.out().indexOf("\n\n"));
        assertTrue(commands.lines().allMatch(l -> l.matches("  [a-z]+ +[A-Z].*\\.")),
                "one line per command, a sentence each:\n" + commands);
        assertTrue(CliRun.of("--version").exits(0).out().startsWith("claude-devc "));
        CliRun.of("no-such-command").exits(ExitCodes.USAGE);
        CliRun.of("generate", "--no-such-option").exits(ExitCodes.USAGE);
    }

    @Test
    void errorsAreOneLineWithoutStackTracesUnlessVerbose() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: x\nnetwork:\n  mode: strict\n");
        CliRun run = CliRun.of("generate", "-C", repo.toString()).exits(ExitCodes.INVALID_DESCRIPTOR);
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("claude-devc.yaml:3:9: network.mode: 'strict' is not one of enforce, audit"),
                run.err());
        CliRun verbose = CliRun.of("generate", "-C", repo.toString(), "--verbose").exits(ExitCodes.INVALID_DESCRIPTOR);
        assertTrue(verbose.err().contains("at dev.claudedevc"), verbose.err());
    }

    @Test
    void presetsListsAndShowsWithReasons() {
        CliRun list = CliRun.of("presets").exits(0);
        for (String name : List.of("anthropic", "npm", "pypi", "maven", "go", "crates", "github", "vscode")) {
            assertTrue(list.out().contains(name), list.out());
        }
        CliRun show = CliRun.of("presets", "anthropic").exits(0);
        assertTrue(show.out().contains("api.anthropic.com"), show.out());
        CliRun.of("presets", "nope").exits(ExitCodes.INVALID_DESCRIPTOR);
    }

    @Test
    void schemaPrintsTheDescriptorsJsonSchemaCoveringEveryTopLevelKey() {
        JsonNode schema = DevcontainerCheck.parse(CliRun.of("schema").exits(0).out(), "schema");
        for (String key : List.of("name", "image", "user", "packages", "timezone", "claudeCode", "network", "vscode",
                "containerEnv", "caCertificates", "proxy")) {
            assertTrue(schema.path("properties").has(key), key);
        }
        assertFalse(schema.path("additionalProperties").asBoolean(true));
    }

    @Test
    void templatesExportWritesEditableCopiesThatOverrideTheBuiltIns() throws IOException {
        Path team = repo.resolve("team-templates");
        CliRun.of("templates", "--export", team.toString()).exits(0);
        assertTrue(Files.isRegularFile(team.resolve("Dockerfile.mustache")));
        assertTrue(Files.isExecutable(team.resolve("claude-devc-firewall.sh")));
        Path dockerfile = team.resolve("Dockerfile.mustache");
        Files.writeString(dockerfile, Files.readString(dockerfile) + "LABEL team=yes\n");
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nnetwork:\n  presets: [anthropic]\n");
        CliRun.of("generate", "-C", repo.toString(), "--templates", "team-templates").exits(0);
        assertTrue(Files.readString(repo.resolve(".devcontainer/Dockerfile")).endsWith("LABEL team=yes\n"));
        CliRun.of("templates", "--export", team.toString()).exits(ExitCodes.REFUSED_OVERWRITE);
    }
}
