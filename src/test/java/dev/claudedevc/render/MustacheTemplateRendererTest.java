package dev.claudedevc.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.assets.Assets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MustacheTemplateRendererTest {

    @TempDir
    Path templates;

    private TemplateRenderer renderer(String name, String body) throws IOException {
        Files.writeString(templates.resolve(name), body);
        return new MustacheTemplateRenderer(Assets.withOverrides(Optional.of(templates)));
    }

    @Test
    void writesValuesWithoutHtmlEscaping() throws IOException {
        TemplateRenderer r = renderer("t.mustache", "{{json}} {{amp}}");
        assertEquals("{\"a\": \"<b>\"} a && b", r.render("templates/t.mustache",
                Map.of("json", "{\"a\": \"<b>\"}", "amp", "a && b")));
    }

    @Test
    void aMissingVariableIsAnErrorNamingIt() throws IOException {
        TemplateRenderer r = renderer("t.mustache", "image: {{image}}\n");
        ClaudeDevcException e = assertThrows(ClaudeDevcException.class,
                () -> r.render("templates/t.mustache", Map.of("imag", "x")));
        assertEquals(ClaudeDevcException.Kind.INVALID_OUTPUT, e.kind());
        assertTrue(e.getMessage().contains("missing variable 'image'"), e.getMessage());
    }

    @Test
    void aMissingSectionIsAnErrorToo() throws IOException {
        TemplateRenderer r = renderer("t.mustache", "{{#items}}- {{name}}\n{{/items}}");
        assertThrows(ClaudeDevcException.class, () -> r.render("templates/t.mustache", Map.of()));
    }

    @Test
    void aMissingVariableInsideAListItemIsAnError() throws IOException {
        TemplateRenderer r = renderer("t.mustache", "{{#items}}- {{name}}\n{{/items}}");
        assertThrows(ClaudeDevcException.class,
                () -> r.render("templates/t.mustache", Map.of("items", List.of(Map.of("nam", "x")))));
    }

    @Test
    void sectionsIterateAndOuterNamesStayVisible() throws IOException {
        TemplateRenderer r = renderer("t.mustache", "{{#items}}\n{{prefix}}{{name}}\n{{/items}}\n{{^none}}\nempty\n{{/none}}\n");
        assertEquals("-a\n-b\nempty\n", r.render("templates/t.mustache", Map.of("prefix", "-",
                "items", List.of(Map.of("name", "a"), Map.of("name", "b")), "none", List.of())));
    }

    @Test
    void aTeamTemplateOverridesTheBuiltInOneOfTheSameName() throws IOException {
        TemplateRenderer r = renderer("Dockerfile.mustache", "FROM {{image}}\n");
        assertEquals("FROM x\n", r.render("templates/Dockerfile.mustache", Map.of("image", "x")));
    }

    @Test
    void anUnknownTemplateIsAnError() {
        TemplateRenderer r = new MustacheTemplateRenderer(Assets.builtIn());
        assertThrows(ClaudeDevcException.class, () -> r.render("templates/nope.mustache", Map.of()));
    }
}
