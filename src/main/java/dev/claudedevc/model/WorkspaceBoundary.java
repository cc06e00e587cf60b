package dev.claudedevc.model;

import java.util.List;

/**
 * The descriptor's {@code workspace} section: what of the bind-mounted workspace the agent may change, and
 * whether the IDE's forwarded git credentials stay usable inside.
 *
 * @param readOnly              more workspace paths to mount read-only (a folder ends with {@code /})
 * @param writable              optional protected paths ({@code .vscode}, {@code .claude}) to leave writable
 * @param forwardGitCredentials keep the git credential helper VS Code installs at attach (lets the agent push with
 *                              the person's credentials to any repository they can reach)
 */
public record WorkspaceBoundary(List<String> readOnly, List<String> writable, boolean forwardGitCredentials) {

    public static final WorkspaceBoundary DEFAULT = new WorkspaceBoundary(List.of(), List.of(), false);

    public WorkspaceBoundary {
        readOnly = List.copyOf(readOnly);
        writable = List.copyOf(writable);
    }

    /** The protected paths for a project rendering into {@code outputDir} from {@code descriptorFile}. */
    public ProtectedPaths protectedPaths(String outputDir, String descriptorFile) {
        return ProtectedPaths.of(outputDir, descriptorFile, readOnly, writable);
    }
}
