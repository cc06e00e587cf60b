package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The descriptor JSON Schema that {@code claude-devc schema} publishes for editors agrees with the reader: every
 * descriptor the reader accepts validates, and every one the reader refuses for a structural reason (an unknown
 * key, a wrong type, a value outside an enumeration, a missing required key) fails the schema too. Value rules
 * only the reader can check (over-broad wildcards, host bits in a CIDR, …) are not schema matters.
 */
class DescriptorSchemaTest {

    private static final Path CORPUS = Path.of("src/test/resources/descriptors");
    private static final Schema SCHEMA = load();

    private static Schema load() {
        try (InputStream in = DescriptorSchemaTest.class.getResourceAsStream("/claude-devc/descriptor.schema.json")) {
            assertNotNull(in, "the published schema is a resource of the jar");
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(in, InputFormat.JSON);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) throws Exception {
        ObjectMapper mapper = file.toString().endsWith(".json")
                ? JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build() : new YAMLMapper();
        return mapper.readTree(Files.readString(file));
    }

    static Stream<Path> valid() throws Exception {
        try (Stream<Path> files = Files.list(CORPUS.resolve("valid"))) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyDescriptorTheReaderAcceptsValidates(Path file) throws Exception {
        new DescriptorReader(PresetCatalog.builtIn()).read(file); // the reader accepts it (the valid corpus's own test says how)
        List<String> errors = SCHEMA.validate(read(file)).stream().map(Object::toString).toList();
        assertEquals(List.of(), errors, file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unknown-top-level-key.yaml", "unknown-network-key.yaml", "unknown-claude-code-key.yaml",
        "unknown-proxy-key.yaml", "unknown-verify-key.yaml", "unknown-key-without-suggestion.yaml",
        "json-unknown-key.json", "missing-name.yaml", "name-is-a-boolean.yaml", "name-is-a-list.yaml",
        "name-is-a-number.yaml", "name-upper-case.yaml", "name-too-long.yaml", "network-not-a-mapping.yaml",
        "packages-not-a-list.yaml", "container-env-not-a-mapping.yaml", "container-env-value-is-a-list.yaml",
        "root-is-a-list.yaml", "settings-not-a-mapping.yaml", "mode-unknown.yaml", "ipv6-mode-unknown.yaml",
        "install-method-unknown.yaml", "user-root.yaml", "user-starts-with-digit.yaml", "inject-user-semicolon.yaml",
        "port-zero.yaml", "host-access-port-70000.yaml", "inject-claude-version.yaml"})
    void aStructuralRefusalOfTheReaderFailsTheSchemaToo(String name) throws Exception {
        Path file = CORPUS.resolve("invalid").resolve(name);
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> new DescriptorReader(PresetCatalog.builtIn()).read(file),
                "the reader refuses " + name);
        assertFalse(SCHEMA.validate(read(file)).isEmpty(), name + " should fail the published schema");
    }
}
