package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.RunningContainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds a project's running dev container: by name, or by the labels the Dev Containers tools (VS Code, the CLI)
 * put on the containers they start — {@code devcontainer.local_folder} (the project folder) and, when several
 * configurations run, {@code devcontainer.config_file} (this project's devcontainer.json).
 */
final class DevContainers {

    static final String LOCAL_FOLDER = "devcontainer.local_folder";
    static final String CONFIG_FILE = "devcontainer.config_file";

    private DevContainers() {
    }

    /**
     * @param name the container's name or id, or empty to find it by the project's labels
     * @throws ClaudeDevcException NOT_READY when none runs, or several do and none is this configuration's
     */
    static RunningContainer find(DockerEngine engine, String name, Workspace workspace) {
        if (!name.isEmpty()) {
            return engine.runningContainer(name).orElseThrow(() -> new ClaudeDevcException(
                    ClaudeDevcException.Kind.NOT_READY, "no running container " + name));
        }
        Path folder = workspace.loaded().projectDir();
        List<RunningContainer> found = engine.runningContainers(Map.of(LOCAL_FOLDER, folder.toString()));
        if (found.size() > 1) {
            String config = workspace.outputDir().resolve("devcontainer.json").toString();
            found = found.stream().filter(c -> config.equals(c.labels().get(CONFIG_FILE))).toList();
        }
        if (found.size() != 1) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.NOT_READY, (found.isEmpty()
                    ? "no running dev container for " : "more than one running dev container for ") + folder
                    + " (looked for the label " + LOCAL_FOLDER + "); start it (devcontainer up, or Reopen in "
                    + "Container) or name it: --container NAME");
        }
        return found.get(0);
    }
}
