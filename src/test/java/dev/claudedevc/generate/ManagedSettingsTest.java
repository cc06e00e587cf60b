package dev.claudedevc.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.TestPaths;
import dev.claudedevc.descriptor.DescriptorReader;
import dev.claudedevc.descriptor.LoadedDescriptor;
import dev.claudedevc.descriptor.PresetCatalog;
import dev.claudedevc.policy.TestPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Claude Code's managed settings agree with the firewall: for every golden example the committed
 * claude-code-managed-settings.json allows exactly what the committed policy file allows (read from both files, not
 * from the code that wrote them), validates against SchemaStore's schema, and keeps the traffic switches, deny rules
 * and permission mode the descriptor asks for; extra keys that would undo or widen it are refused where they are.
 */
class ManagedSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(Files.readString(TestPaths.claudeCodeSettingsSchema()), InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> scenarios() throws IOException {
        return GoldenExamplesTest.scenarios();
    }

    private static JsonNode committed(Path scenario) throws IOException {
        return JSON.readTree(Files.readString(output(scenario).resolve(ManagedSettings.FILE)));
    }

    /** The scenario's output folder: its descriptor's {@code output:}, else {@code .devcontainer}. */
    static Path output(Path scenario) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^output:\\s*(\\S+)")
                .matcher(Files.readString(scenario.resolve("claude-devc.yaml")));
        return scenario.resolve(m.find() ? m.group(1) : ".devcontainer");
    }

    /** allowedDomains as the policy file says: each allow-name record, once per port of its group. */
    /** The names the compiled policy's header lists as allowed ({@code #   allow NAME:PORTS  ORIGIN}), on each port. */
    static Set<String> allowlistOfPolicyFile(String policy) {
        Set<String> out = new TreeSet<>();
        for (String line : policy.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#   allow ((?:\\*\\.)?[a-z][a-z0-9.-]*):([0-9,]+)  .*")
                    .matcher(line);
            if (m.matches()) {
                for (String port : m.group(2).split(",")) {
                    out.add(m.group(1) + ":" + port);
                }
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theAllowlistIsTheFirewallPolicysEntryForEntry(Path scenario) throws IOException {
        String policy = Files.readString(output(scenario).resolve("claude-devc-policy.conf"));
        JsonNode network = committed(scenario).path("sandbox").path("network");
        List<String> allowed = strings(network.path("allowedDomains"));
        assertEquals(allowed.size(), new LinkedHashSet<>(allowed).size(), "no duplicates: " + allowed);
        assertEquals(allowlistOfPolicyFile(policy), new TreeSet<>(allowed));
        assertFalse(allowed.isEmpty(), "every example allows something");
        assertTrue(network.path("allowManagedDomainsOnly").asBoolean(), "locked: other settings cannot add domains");
        Set<String> denied = new TreeSet<>();
        for (String line : policy.split("\n")) {
            if (line.startsWith("#   deny ")) {
                String host = line.split(" +")[2];
                denied.add(host);
                denied.add("*." + host);
            }
        }
        assertEquals(denied, new TreeSet<>(strings(network.path("deniedDomains"))));
        for (String entry : allowed) {
            assertTrue(entry.matches("(\\*\\.)?[a-z0-9.-]+:[0-9]+"), "a name with a port, never an IP: " + entry);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyRenderedFileValidatesAgainstSchemaStoresSchema(Path scenario) throws IOException {
        String text = Files.readString(output(scenario).resolve(ManagedSettings.FILE));
        List<String> errors = SCHEMA.validate(text, InputFormat.JSON).stream().map(Object::toString).toList();
        assertEquals(List.of(), errors, scenario.getFileName().toString());
    }

    @Test
    void theSchemaCheckWouldCatchAWrongKey() {
        String wrong = "{\"sandbox\": {\"network\": {\"allowedDomain\": [\"a.example.com:443\"]}},"
                + " \"permissions\": {\"defaultMode\": \"yolo\"}}";
        assertEquals(2, SCHEMA.validate(wrong, InputFormat.JSON).size());
    }

    @Test
    void nonEssentialTrafficIsOffByDefaultAndTheProtectedPathsCannotBeEdited() throws IOException {
        JsonNode minimal = committed(GoldenExamplesTest.scenarios().filter(p -> p.endsWith("minimal")).findFirst()
                .orElseThrow());
        JsonNode env = minimal.path("env");
        for (String off : List.of("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY",
                "DISABLE_ERROR_REPORTING", "DISABLE_AUTOUPDATER", "DISABLE_UPDATES")) {
            assertEquals("1", env.path(off).asText(), off);
        }
        List<String> deny = strings(minimal.path("permissions").path("deny"));
        for (String path : List.of(".devcontainer/**", "claude-devc.yaml", ".git/hooks/**", ".git/config",
                ".vscode/**")) {
            assertTrue(deny.contains("Edit(//workspace/" + path + ")"), path + " in " + deny);
        }
        assertEquals("default", minimal.path("permissions").path("defaultMode").asText());
        assertEquals("disable", minimal.path("permissions").path("disableBypassPermissionsMode").asText());
        assertFalse(minimal.has("skipDangerousModePermissionPrompt"));
    }

    @Test
    void aPartTurnedBackOnGetsItsPresetHostsAndLosesOnlyItsSwitch() throws IOException {
        Path node = GoldenExamplesTest.scenarios().filter(p -> p.endsWith("node")).findFirst().orElseThrow();
        JsonNode s = committed(node);
        assertFalse(s.path("env").has("DISABLE_ERROR_REPORTING"), "errorReporting is on");
        assertFalse(s.path("env").has("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"), "one part is on");
        assertEquals("1", s.path("env").path("DISABLE_TELEMETRY").asText(), "telemetry stays off");
        String preset = PresetCatalog.builtIn().get("anthropic").orElseThrow().group("errorReporting").orElseThrow()
                .entries().get(0).rule().value();
        assertTrue(strings(s.path("sandbox").path("network").path("allowedDomains")).contains(preset + ":443"));
        assertTrue(Files.readString(node.resolve(".devcontainer/claude-devc-policy.conf"))
                .contains("#   allow " + preset + ":"), "and the firewall allows it too");
        assertEquals("bypassPermissions", s.path("permissions").path("defaultMode").asText());
        assertTrue(s.path("skipDangerousModePermissionPrompt").asBoolean());
        assertFalse(s.path("permissions").has("disableBypassPermissionsMode"));
        assertTrue(strings(s.path("permissions").path("deny")).contains("Read(//workspace/secrets/**)"));
        assertEquals(List.of("//workspace/.env", "//workspace/secrets"),
                strings(s.path("sandbox").path("filesystem").path("denyRead")));
        assertEquals(List.of("Bash(git push *)"), strings(s.path("permissions").path("ask")), "extra keys merged");
        assertEquals(14, s.path("cleanupPeriodDays").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "settings: {sandbox: {enabled: false}}|claudeCode.settings.sandbox: claude-devc renders this key itself",
        "settings: {hooks: {}}|claudeCode.settings.hooks: claude-devc renders",
        "settings: {disableAllHooks: true}|claudeCode.settings.disableAllHooks:",
        "settings: {permissions: {defaultMode: bypassPermissions}}|claudeCode.settings.permissions.defaultMode:",
        "settings: {permissions: {allow: [\"WebFetch(domain:evil.example.com)\"]}}|claudeCode.settings.permissions.allow[0]: a managed WebFetch domain rule widens",
        "settings: {env: {DISABLE_TELEMETRY: \"0\"}}|claudeCode.settings.env.DISABLE_TELEMETRY: claude-devc sets this",
        "settings: {env: {HTTPS_PROXY: \"http://x.example.com:1\"}}|claudeCode.settings.env.HTTPS_PROXY:",
        "settings: {skipDangerousModePermissionPrompt: true}|set claudeCode.permissionMode: bypassPermissions",
        "settings: {\"bad key\": 1}|is not a Claude Code settings key",
        "permissionMode: dontAsk|'dontAsk' is not one of default, acceptEdits, auto, bypassPermissions",
        "nonEssential: [featureFlags]|featureFlags needs telemetry too",
        "nonEssential: [telemetry, telemetry]|duplicate entry",
        "nonEssential: [statsig]|'statsig' is not one of telemetry, errorReporting",
        "denyRead: [../etc/passwd]|claudeCode.denyRead[0]: '../etc/passwd' is not a path",
        "denyRead: [/etc/shadow]|is not a path or pattern relative to the workspace",
        "denyRead: [\"a) Bash(x\"]|is not a path"})
    void aSettingThatWouldUndoOrWidenTheBoxIsALocatedError(String c, @TempDir Path dir) throws IOException {
        String[] parts = c.split("\\|");
        Path file = dir.resolve("claude-devc.yaml");
        Files.writeString(file, "name: t\nclaudeCode:\n  " + parts[0] + "\n", StandardCharsets.UTF_8);
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> new DescriptorReader().read(file));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertTrue(e.getMessage().matches(".*claude-devc\\.yaml:3:[0-9]+: .*"), e.getMessage());
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
    }

    /** Every key the generator renders is one the reader refuses in claudeCode.settings (they stay in step). */
    @Test
    void everyRenderedKeyIsRefusedAsAnExtra(@TempDir Path dir) throws IOException {
        Path node = GoldenExamplesTest.scenarios().filter(p -> p.endsWith("node")).findFirst().orElseThrow();
        Set<String> keys = new TreeSet<>();
        committed(node).fieldNames().forEachRemaining(keys::add);
        committed(GoldenExamplesTest.scenarios().filter(p -> p.endsWith("minimal")).findFirst().orElseThrow())
                .fieldNames().forEachRemaining(keys::add);
        keys.removeAll(Set.of("$schema", "permissions", "env", "cleanupPeriodDays"));
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            Path file = dir.resolve("claude-devc.yaml");
            Files.writeString(file, "name: t\nclaudeCode:\n  settings: {" + key + ": true}\n");
            ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                    () -> new DescriptorReader().read(file), key);
            assertTrue(e.getMessage().contains("claude-devc renders this key itself"), e.getMessage());
        }
        JsonNode minimal = committed(GoldenExamplesTest.scenarios().filter(p -> p.endsWith("minimal")).findFirst()
                .orElseThrow());
        for (var it = minimal.path("env").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Path file = dir.resolve("claude-devc.yaml");
            Files.writeString(file, "name: t\nclaudeCode:\n  settings: {env: {" + name + ": \"0\"}}\n");
            assertThrows(ClaudeDevcException.class, () -> new DescriptorReader().read(file),
                    name);
        }
        for (var it = minimal.path("permissions").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("deny")) {
                continue;
            }
            Path file = dir.resolve("claude-devc.yaml");
            Files.writeString(file, "name: t\nclaudeCode:\n  settings: {permissions: {" + name + ": x}}\n");
            assertThrows(ClaudeDevcException.class, () -> new DescriptorReader().read(file),
                    name);
        }
    }

    @Test
    void ipAndCidrEntriesAreLeftOutOfClaudeCodesList() throws IOException {
        Path java = GoldenExamplesTest.scenarios().filter(p -> p.endsWith("java-maven")).findFirst().orElseThrow();
        String policy = Files.readString(java.resolve(".devcontainer/claude-devc-policy.conf"));
        assertTrue(policy.contains("#   allow 192.0.2.10/32:"), "the example has IP entries");
        String text = committed(java).path("sandbox").toString();
        assertFalse(text.contains("192.0.2.10") || text.contains("2001:db8"), text);
        assertNotEquals(0, committed(java).path("sandbox").path("network").path("allowedDomains").size());
    }

    @Test
    void theRenderedFileIsTheGeneratorsForTheLoadedDescriptor() throws IOException {
        Path minimal = GoldenExamplesTest.scenarios().filter(p -> p.endsWith("minimal")).findFirst().orElseThrow();
        LoadedDescriptor loaded = DescriptorReader.load(minimal, Optional.empty());
        GeneratedTree tree = Generator.forTemplates(Optional.empty()).generate(loaded, TestPolicies.of(loaded));
        assertEquals(Files.readString(minimal.resolve(".devcontainer").resolve(ManagedSettings.FILE)),
                tree.get(ManagedSettings.FILE).orElseThrow().text());
    }
}
