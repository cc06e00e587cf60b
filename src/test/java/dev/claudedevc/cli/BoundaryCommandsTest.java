package dev.claudedevc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A team template or a hand edit that opens the container's boundary fails generate and validate, key named. */
class BoundaryCommandsTest {

    @TempDir
    Path repo;

    @Test
    void aTeamTemplateAddingAPrivilegedRunArgFailsGenerateAndWritesNothing() throws IOException {
        Path team = repo.resolve("team");
        CliRun.of("templates", "--export", team.toString()).exits(0);
        Path template = team.resolve("devcontainer.json.mustache");
        Files.writeString(template, Files.readString(template).replace("\"init\": true,",
                "\"init\": true,\n  \"capAdd\": [\"SYS_ADMIN\"],"));
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\n");
        CliRun run = CliRun.of("generate", "-C", repo.toString(), "--templates", team.toString())
                .exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.err().contains("capAdd[0]") && run.err().contains("SYS_ADMIN"), run.err());
        assertFalse(Files.exists(repo.resolve(".devcontainer")));
    }

    @Test
    void validateNamesTheRunArgOfAHandEditedDockerSocketMount() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\n");
        CliRun.of("generate", "-C", repo.toString()).exits(0);
        Path json = repo.resolve(".devcontainer/devcontainer.json");
        Files.writeString(json, Files.readString(json).replace("\"--cap-add=NET_RAW\"",
                "\"--cap-add=NET_RAW\", \"-v\", \"/var/run/docker.sock:/var/run/docker.sock\""));
        CliRun run = CliRun.of("validate", "-C", repo.toString()).exits(ExitCodes.INVALID_OUTPUT);
        assertTrue(run.out().contains("runArgs[2]") && run.out().contains("docker.sock"), run.out());
    }

    @Test
    void initPrintsEachHostSettingWithWhy() {
        CliRun run = CliRun.of("init", "-C", repo.toString()).exits(0);
        for (dev.claudedevc.model.Forwarding.HostSetting setting : dev.claudedevc.model.Forwarding.HOST_SETTINGS) {
            assertTrue(run.err().contains(setting.setting() + "  - " + setting.why()), run.err());
        }
        assertFalse(run.out().contains("dev.containers"), "results only on stdout");
    }

    @Test
    void leavingVscodeWritableWarnsAndDropsOnlyItsMount() throws IOException {
        Files.writeString(repo.resolve("claude-devc.yaml"), "name: t\nnetwork: {presets: [anthropic]}\nworkspace:\n  writable: [.vscode]\n");
        CliRun run = CliRun.of("generate", "-C", repo.toString()).exits(0);
        assertTrue(run.err().contains("warning: .vscode/ is left writable"), run.err());
        String json = Files.readString(repo.resolve(".devcontainer/devcontainer.json"));
        assertFalse(json.contains("target=/workspace/.vscode"), json);
        assertTrue(json.contains("target=/workspace/.claude,") && json.contains("target=/workspace/claude-devc.yaml,"),
                json);
        CliRun.of("validate", "-C", repo.toString()).exits(0);
    }
}
