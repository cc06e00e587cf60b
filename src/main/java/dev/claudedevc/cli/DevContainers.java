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
        return forFolder(engine, workspace.loaded().projectDir(),
                workspace.outputDir().resolve("devcontainer.json").toString());
    }

    /**
     * The one running dev container started for {@code folder} (as given, or its real path: the label holds
     * whichever the tools were given), narrowed to {@code configFile} when several run.
     */
    static RunningContainer forFolder(DockerEngine engine, Path folder, String configFile) {
        List<String> spellings = new java.util.ArrayList<>(List.of(folder.toString()));
        try {
            String real = folder.toRealPath().toString();
            if (!spellings.contains(real)) {
                spellings.add(real);
            }
        } catch (java.io.IOException e) {
            // the folder as given is what the label would hold
        }
        List<RunningContainer> found = new java.util.ArrayList<>();
        for (String spelling : spellings) {
            engine.runningContainers(Map.of(LOCAL_FOLDER, spelling)).stream()
                    .filter(c -> found.stream().noneMatch(f -> f.id().equals(c.id()))).forEach(found::add);
        }
        List<RunningContainer> candidates = found;
        if (candidates.size() > 1) {
            candidates = candidates.stream().filter(c -> configFile.equals(c.labels().get(CONFIG_FILE))).toList();
        }
        if (candidates.size() != 1) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.NOT_READY, (candidates.isEmpty() && found.isEmpty()
                    ? "no running dev container for " + folder + " (none has the label " + LOCAL_FOLDER + "="
                            + folder + ")"
                    : found.size() + " running dev containers for " + folder + " ("
                            + String.join(", ", found.stream().map(RunningContainer::name).toList()) + ")")
                    + "; start it (devcontainer up --workspace-folder " + folder + ", or Reopen in Container) or "
                    + "name it: --container NAME");
        }
        return candidates.get(0);
    }
}
