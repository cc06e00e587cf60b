package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.claudedevc.model.ClaudeCode;
import org.junit.jupiter.api.Test;

/** The anthropic preset has one optional group per part of Claude Code's non-essential traffic, and shows them. */
class PresetOptionalGroupsTest {

    @Test
    void everyNonEssentialPartHasItsGroupAndPresetsShowsIt() {
        CliRun run = CliRun.of("presets", "anthropic").exits(0);
        for (ClaudeCode.Traffic part : ClaudeCode.Traffic.values()) {
            assertTrue(run.out().contains("optional " + part.spelling() + " (claudeCode.nonEssential: ["
                    + part.spelling() + "])"), part + ":\n" + run.out());
        }
        assertTrue(!run.out().contains("statsig") && !run.out().contains("sentry.io")
                && !run.out().contains("storage.googleapis.com"), "legacy hosts dropped:\n" + run.out());
        CliRun json = CliRun.of("presets", "anthropic", "--json").exits(0);
        assertTrue(json.out().contains("\"optional\""), json.out());
    }
}
