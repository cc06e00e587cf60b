package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's --templates folder inside the project is policy (its presets are the allowlist; its firewall script and
 * Dockerfile template become the next image's), so it is a protected path: mounted read-only in the box and denied
 * to Claude Code's edits. Found in review: the folder was writable, and a preset the agent extended there
 * (presets/npm.yaml: evil.test) was allowed by the user's next generate or apply.
 */
class TemplatesInWorkspaceTest {

    @TempDir
    Path repo;

    @Test
    void aTemplatesFolderInsideTheWorkspaceIsReadOnlyInTheBox() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nclaudeCode:\n  install: none\n"
                + "network:\n  presets: [npm]\n");
        CliRun.of("templates", "--export", repo.resolve("team-templates").toString()).exits(0);
        CliRun.of("generate", "-C", repo.toString(), "--templates", "team-templates").exits(0);
        String devcontainer = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertTrue(devcontainer.contains("\"source=${localWorkspaceFolder}/team-templates,target=/workspace/"
                + "team-templates,type=bind,readonly\""), devcontainer);
    }

    @Test
    void aTemplatesFolderOutsideTheProjectAddsNoMount(@TempDir Path elsewhere) throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nclaudeCode:\n  install: none\n");
        CliRun.of("templates", "--export", elsewhere.resolve("team").toString()).exits(0);
        CliRun.of("generate", "-C", repo.toString(), "--templates", elsewhere.resolve("team").toString()).exits(0);
        String devcontainer = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertTrue(!devcontainer.contains("/team,") && !devcontainer.contains("/team/"), devcontainer);
    }

    @Test
    void theProjectFolderItselfAsTemplatesIsRefusedAndNothingIsWritten() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nclaudeCode:\n  install: none\n");
        CliRun run = CliRun.of("generate", "-C", repo.toString(), "--templates", repo.toString())
                .exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.err().contains("the project folder itself"), run.err());
        assertTrue(Files.notExists(repo.resolve(".devcontainer")));
    }
}
