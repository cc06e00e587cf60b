package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding, NOT fixed (MEDIUM when a team keeps its --templates folder in the repository, as the README's
 * example and InitGenerateValidateTest do): the folder is in no protected path, so it is writable in the box; a
 * preset the agent extends there (presets/npm.yaml: evil.test) is allowed by the user's next generate, build or
 * apply --templates (reproduced with the CLI), and its firewall script or Dockerfile template becomes the next
 * image's. Fix to make: a --templates folder inside the project is a required protected path (read-only mount,
 * Claude Code's edit denial) or is refused unless workspace.readOnly covers it. Enable when fixed.
 */
class TemplatesInWorkspaceTest {

    @TempDir
    Path repo;

    @Test
    @Disabled("review finding: team templates inside the workspace are writable by the agent (not fixed yet)")
    void aTemplatesFolderInsideTheWorkspaceIsReadOnlyInTheBox() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nclaudeCode:\n  install: none\n"
                + "network:\n  presets: [npm]\n");
        CliRun.of("templates", "--export", repo.resolve("team-templates").toString()).exits(0);
        CliRun.of("generate", "-C", repo.toString(), "--templates", "team-templates").exits(0);
        String devcontainer = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertTrue(devcontainer.contains("\"source=${localWorkspaceFolder}/team-templates,target=/workspace/"
                + "team-templates,type=bind,readonly\""), devcontainer);
    }
}
