package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.model.DomainRule;
import dev.claudedevc.model.Preset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in presets ({@code firewall/presets/}) are valid, documented and never over-broad. */
class PresetCatalogTest {

    private static final Path SOURCES = Path.of("firewall/presets");
    private static final PresetCatalog BUILT_IN = PresetCatalog.builtIn();

    /**
     * Suffixes a preset must never cover with a wildcard: top-level domains, public suffixes and shared hosting
     * where anyone can get a name. Written out here so the test does not trust the checker it tests.
     */
    private static final Set<String> NEVER_WILDCARDED = Set.of("com", "net", "org", "io", "dev", "app", "ai",
            "co.uk", "com.au", "github.io", "githubusercontent.com", "amazonaws.com", "s3.amazonaws.com",
            "cloudfront.net", "azureedge.net", "blob.core.windows.net", "googleapis.com", "storage.googleapis.com",
            "appspot.com", "herokuapp.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
            "trycloudflare.com", "ngrok.io", "gitlab.io", "web.app", "firebaseapp.com");

    static Stream<Preset> presets() {
        return BUILT_IN.all().stream();
    }

    @Test
    void theEightBuiltInPresetsAreThere() {
        assertEquals(List.of("anthropic", "crates", "github", "go", "maven", "npm", "pypi", "vscode"),
                List.copyOf(BUILT_IN.names()));
        assertEquals(8, BUILT_IN.all().size());
    }

    @Test
    void everyPresetFileInTheSourceTreeIsPackagedAndParsesOnItsOwn() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(SOURCES)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(List.copyOf(BUILT_IN.names()),
                files.stream().map(p -> p.getFileName().toString().replace(".yaml", "")).toList());
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".yaml", "");
            Preset parsed = PresetCatalog.parse(name, Files.readString(file, StandardCharsets.UTF_8), file);
            assertEquals(BUILT_IN.get(name).orElseThrow(), parsed, name + ": packaged copy differs from the source");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void everyPresetIsDescribedAndEveryEntrySaysWhyItIsThere(Preset preset) {
        assertFalse(preset.description().isBlank(), preset.name());
        assertFalse(preset.entries().isEmpty(), preset.name() + " has no entries");
        for (Preset.Entry entry : preset.entries()) {
            assertFalse(entry.why().isBlank(), preset.name() + ": " + entry.rule() + " has no reason");
            assertTrue(entry.why().length() >= 10, preset.name() + ": " + entry.rule() + ": reason too short");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void noPresetOpensSshOrWildcardsAPublicSuffixOrRepeatsAnEntry(Preset preset) {
        Set<DomainRule> seen = new HashSet<>();
        for (Preset.Entry entry : preset.entries()) {
            DomainRule rule = entry.rule();
            assertTrue(seen.add(rule), preset.name() + ": duplicate " + rule);
            assertFalse(rule.port().isPresent() && rule.port().getAsInt() == 22, preset.name() + ": port 22 in "
                    + rule);
            assertTrue(rule.isName(), preset.name() + ": presets name hosts, not addresses: " + rule);
            if (rule.kind() == DomainRule.Kind.SUBDOMAINS) {
                assertFalse(NEVER_WILDCARDED.contains(rule.value()), preset.name() + ": " + rule + " is too broad");
                assertTrue(rule.value().contains("."), preset.name() + ": " + rule + " covers a top-level domain");
            }
        }
    }

    @Test
    void thePresetsBetweenThemAllowNothingOnPort22() {
        assertTrue(BUILT_IN.all().stream().flatMap(p -> p.entries().stream())
                .noneMatch(e -> e.rule().port().orElse(443) == 22));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "description: a;b<c\\ndomains: [] | 1 | description: 'a;b<c' is not a one-line description",
        "description: Test preset\\ndomains:\\n  - host: '*.com'\\n    why: everything"
                + " | 3 | domains[0].host: '*.com' is too broad",
        "description: Test preset\\ndomains:\\n  - host: example.com | 3 | domains[0]: missing required key 'why'",
        "description: Test preset\\ndomains:\\n  - why: no host | 3 | domains[0]: missing required key 'host'",
        "description: Test preset\\ndomains:\\n  - host: example.com\\n    why: ok reason\\n    port: 22"
                + " | 5 | domains[0].port: unknown key",
        "description: Test preset\\ndomain: [] | 2 | domain: unknown key (did you mean 'domains'?)",
        "domains: [] | 1 | description: missing required key",
        "description: \"a $(id) b\"\\ndomains: [] | 1 | description: 'a $(id) b' is not a one-line description",
    })
    void aBrokenPresetIsRefusedWithALocatedMessage(String text, int line, String expected) {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> PresetCatalog.parse("test", text.replace("\\n", "\n"), Path.of("test.yaml")));
        assertEquals(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.kind());
        assertTrue(e.getMessage().startsWith("test.yaml:" + line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void aPresetNameMustBeAPlainWord() {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> PresetCatalog.parse("Evil;name", "description: x y\ndomains: []\n", Path.of("Evil;name.yaml")));
        assertTrue(e.getMessage().contains("is not a valid preset name"), e.getMessage());
    }
}
