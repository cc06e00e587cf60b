package dev.claudedevc.descriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.TestPaths;
import dev.claudedevc.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The descriptor JSON Schema that {@code claude-devc schema} publishes for editors agrees with the reader: every
 * descriptor the reader accepts (the valid corpus and the golden examples) validates, and every descriptor of
 * the invalid corpus that the reader refuses for a reason a JSON Schema can state fails the schema too.
 *
 * <p>Which refusals a schema can state is read from each invalid file's {@code # expect:} reason (the one the
 * reader's message must contain), not from a list of file names, so a new corpus file is covered the day it is
 * added: an unknown key, a wrong type, a missing required key, a value outside an enumeration, a number out of
 * range, an empty or repeated list, or a value outside one of the simple token patterns the schema states (names,
 * users, images, packages, versions, extension ids, environment names and values). Value rules only the reader
 * can check (host and CIDR grammar, over-broad wildcards, files, time zone membership, YAML tags and anchors) are
 * not schema matters.
 */
class DescriptorSchemaTest {

    private static final Path CORPUS = Path.of("src/test/resources/descriptors");
    private static final Pattern EXPECT = Pattern.compile("(?:#|//) expect: (?:-|[0-9]+):([^:]*):(.*)");
    private static final Pattern SCHEMA_MATTER = Pattern.compile(String.join("|",
            "unknown key", "did you mean '[a-zA-Z]+'", "expected (a|an) [a-z]+(, got| number 1 to 65535, got)",
            "expected true or false", "missing required key", "is not one of", "not one of official-image",
            "got '[^.']*'", "needs at least one port", "duplicate entry", "is not a project name", "longer than 63",
            "is not a user name", "must not run as root", "is reserved", "is not an image reference",
            "is not a Debian package name", "is not latest", "is not a time zone name", "is not an extension id",
            "is not an environment variable name", "is not a safe value"));
    private static final Schema SCHEMA = load();

    /** One corpus file and the reason the reader must give. */
    record Refusal(Path file, String keyPath, String reason) {
        /**
         * A refusal a schema can state. A duplicate is one only when the two items are the same text: the reader
         * also refuses {@code Example.COM} beside {@code example.com}, which {@code uniqueItems} cannot see.
         */
        boolean schemaMatter() {
            if (!SCHEMA_MATTER.matcher(reason).find()) {
                return false;
            }
            if (!reason.contains("duplicate entry")) {
                return true;
            }
            try {
                JsonNode list = tree(file).at("/" + keyPath.replaceAll("\\[[0-9]+]$", "").replace('.', '/'));
                List<JsonNode> items = new ArrayList<>();
                list.forEach(items::add);
                return items.size() != new java.util.HashSet<>(items).size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file.getFileName() + " (" + reason + ")";
        }
    }

    private static Schema load() {
        String text = CliRun.of("schema").exits(0).out();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(text,
                InputFormat.JSON);
    }

    private static JsonNode tree(Path file) throws IOException {
        ObjectMapper mapper = file.toString().endsWith(".json") ? JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build()
                : new YAMLMapper();
        return mapper.readTree(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static List<String> errors(Path file) throws IOException {
        return SCHEMA.validate(tree(file)).stream().map(Object::toString).toList();
    }

    static Stream<Path> accepted() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> valid = Files.list(CORPUS.resolve("valid"))) {
            valid.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        try (Stream<Path> examples = Files.list(TestPaths.examples())) {
            examples.map(d -> d.resolve("claude-devc.yaml")).filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        return files.stream();
    }

    static Stream<Refusal> refusals() throws IOException {
        List<Refusal> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS.resolve("invalid"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                Matcher m = EXPECT.matcher(first);
                assertTrue(m.matches(), file + ": no '# expect:' line");
                out.add(new Refusal(file, m.group(1), m.group(2)));
            }
        }
        return out.stream();
    }

    static Stream<Refusal> schemaRefusals() throws IOException {
        return refusals().filter(Refusal::schemaMatter);
    }

    @Test
    void theSchemaIsTheOneTheCommandPrints() throws IOException {
        try (var in = DescriptorSchemaTest.class.getResourceAsStream("/claude-devc/descriptor.schema.json")) {
            assertNotNull(in);
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), CliRun.of("schema").exits(0).out());
        }
    }

    /**
     * The schema's token patterns are the reader's own ({@link Syntax}), anchored: one rule in two notations, kept
     * equal here.
     */
    @Test
    void theSchemasTokenPatternsAreTheReaders() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(CliRun.of("schema").exits(0).out());
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("/properties/name/pattern", Syntax.PROJECT_NAME.pattern());
        expected.put("/properties/user/pattern", Syntax.USER.pattern());
        expected.put("/properties/image/pattern", Syntax.IMAGE.pattern());
        expected.put("/properties/packages/items/pattern", Syntax.PACKAGE.pattern());
        expected.put("/properties/timezone/pattern", Syntax.TIMEZONE.pattern());
        expected.put("/properties/claudeCode/properties/version/pattern", Syntax.CLAUDE_VERSION.pattern());
        expected.put("/properties/vscode/properties/extensions/items/pattern", Syntax.EXTENSION.pattern());
        expected.put("/properties/containerEnv/propertyNames/pattern", Syntax.ENV_NAME.pattern());
        expected.put("/properties/containerEnv/additionalProperties/pattern", Syntax.ENV_VALUE.pattern());
        expected.forEach((pointer, pattern) -> {
            String stated = schema.at(pointer).asText();
            assertTrue(stated.equals("^" + pattern + "$") || stated.equals("^(" + pattern + ")$"),
                    pointer + " is " + stated + ", the reader's is " + pattern);
        });
        assertEquals("^" + dev.claudedevc.model.ImageLayout.RESERVED_USER_PREFIX,
                schema.at("/properties/user/not/anyOf/1/pattern").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void everyDescriptorTheReaderAcceptsValidates(Path file) throws Exception {
        new DescriptorReader().read(file);
        assertEquals(List.of(), errors(file), file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaRefusals")
    void aRefusalASchemaCanStateFailsTheSchemaToo(Refusal refusal) throws Exception {
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> new DescriptorReader().read(refusal.file()));
        assertTrue(e.getMessage().contains(refusal.reason()), "the reader refuses it for that reason: " + e);
        assertFalse(errors(refusal.file()).isEmpty(), refusal + " should fail the published schema");
    }

    @Test
    void mostOfTheInvalidCorpusIsClassifiedAndBothKindsOccur() throws IOException {
        long schema = refusals().filter(Refusal::schemaMatter).count();
        long value = refusals().filter(r -> !r.schemaMatter()).count();
        assertTrue(schema >= 60, "schema matters found: " + schema);
        assertTrue(value >= 60, "value rules found: " + value);
    }
}
