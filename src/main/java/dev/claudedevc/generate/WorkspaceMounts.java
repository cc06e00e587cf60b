package dev.claudedevc.generate;

import dev.claudedevc.model.ImageLayout;
import dev.claudedevc.model.ProtectedPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only mounts that protect the workspace paths of {@link ProtectedPaths}, and the host step that prepares
 * their sources. The list is the same on every machine: what exists is decided by the host step at each start
 * (it creates empty placeholders), never when the files are generated.
 *
 * <ul>
 *   <li>{@code .git} is mounted read-only onto itself: it cannot be renamed or replaced, and nothing in it is
 *       writable through {@code /workspace/.git} (a worktree's {@code .git} file included).</li>
 *   <li>The host step links {@code OUTPUT/.claude-devc-run/git} to {@code .git} (or makes an empty placeholder when
 *       the folder is a worktree or not a repository); it is mounted writable at {@link ImageLayout#GIT_VIEW} with
 *       the git paths of {@link ProtectedPaths#GIT} read-only over it, so commits, fetches and pushes work and
 *       config and hooks cannot be changed.</li>
 *   <li>Every other protected path is mounted read-only onto itself.</li>
 * </ul>
 */
public final class WorkspaceMounts {

    private static final String WS = "${localWorkspaceFolder}";

    private WorkspaceMounts() {
    }

    /** The host's source of the git view (through the host step's link). */
    public static String gitViewSource(String outputDir) {
        return WS + "/" + outputDir + "/" + ImageLayout.HOST_RUN_DIR + "/git";
    }

    /** The mounts, in devcontainer.json's {@code mounts} string syntax. */
    public static List<String> of(ProtectedPaths paths, String outputDir) {
        List<String> mounts = new ArrayList<>();
        mounts.add(bind(WS + "/.git", ImageLayout.WORKSPACE + "/.git", true));
        mounts.add(bind(gitViewSource(outputDir), ImageLayout.GIT_VIEW, false));
        for (ProtectedPaths.Entry e : paths.entries()) {
            if (e.inGitDir()) {
                String inGit = e.name().substring(".git/".length());
                mounts.add(bind(gitViewSource(outputDir) + "/" + inGit, ImageLayout.GIT_VIEW + "/" + inGit, true));
            } else {
                mounts.add(bind(WS + "/" + e.name(), ImageLayout.WORKSPACE + "/" + e.name(), true));
            }
        }
        return mounts;
    }

    /** The generated initializeCommand: the host step, run by bash on the host with the workspace folder. */
    public static List<String> initializeCommand(String outputDir) {
        return List.of("bash", WS + "/" + outputDir + "/" + ImageLayout.HOST_STEP, WS);
    }

    private static String bind(String source, String target, boolean readOnly) {
        return "source=" + source + ",target=" + target + ",type=bind" + (readOnly ? ",readonly" : "");
    }
}
