package dev.claudedevc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A clone without shared/ beside it is told exactly where the schemas can come from. */
class TestPathsTest {

    @Test
    void aMissingSchemaNamesEveryPlaceAndHowToGetIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> TestPaths.schema("no-such.schema.json",
                "claude-devc.test.no-such-schema", "https://example.invalid/no-such.schema.json"));
        String m = e.getMessage();
        assertTrue(m.contains("the JSON schema no-such.schema.json is missing"), m);
        assertTrue(m.contains("shared/schemas/no-such.schema.json"), m);
        assertTrue(m.contains("CLAUDE_DEVC_SCHEMAS=DIR"), m);
        assertTrue(m.contains("-Dclaude-devc.test.no-such-schema=FILE"), m);
        assertTrue(m.contains("CLAUDE_DEVC_FETCH_SCHEMAS=1 to download it once from "
                + "https://example.invalid/no-such.schema.json into target/schemas/"), m);
    }

    @Test
    void theSharedFolderBesideTheRepositoryIsFound() {
        assertEquals("devContainer.base.schema.json", TestPaths.devcontainerSchema().getFileName().toString());
    }
}
