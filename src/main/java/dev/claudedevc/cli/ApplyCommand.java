package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.ExecResult;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.generate.GeneratedTree;
import dev.claudedevc.model.FirewallStatus;
import dev.claudedevc.model.ImageLayout;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apply}: the descriptor's current policy into a running dev container, without a rebuild. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Makes the current policy live in a running dev container.",
            "",
            "Renders the firewall policy and Claude Code's managed settings (from the same policy), stages them "
                + "as root in the container through the Docker API, and has the container's root-only installer "
                + "check them, install them and apply the firewall. The staged files become the live ones only if "
                + "the firewall applies them; otherwise the previous files are put back and the network stays "
                + "closed (exit 13). The agent inside cannot do this: it has no Docker access and the installer "
                + "is in no sudoers entry. The next build bakes in the same files."})
final class ApplyCommand implements Callable<Integer> {

    /** The installer's exit codes (firewall/claude-devc-install-policy.sh). */
    static final int REFUSED = 3;
    static final int FAILED_CLOSED = 4;
    static final int FAILED_OPEN = 5;
    static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(30);
    /** The installer waits up to a minute for the firewall's lock, then the apply runs its self-test. */
    static final Duration APPLY_TIMEOUT = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Option(names = "--container", paramLabel = "NAME|ID", description = "The running dev container (default: the "
            + "one the Dev Containers tools started for the project folder, by its devcontainer.local_folder label).")
    String container;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Workspace workspace = Workspace.open(project);
        Map<String, byte[]> staged = staged(workspace.render());
        PrintWriter err = spec.commandLine().getErr();
        String name;
        ExecResult applied;
        String statusOutput;
        String outcome;
        try (DockerEngine engine = root.engines().connect()) {
            RunningContainer target = DevContainers.find(engine, container == null ? "" : container, workspace);
            name = target.name();
            err.println("apply: " + name + ": staging " + String.join(", ", files()));
            ExecResult prepared = engine.exec(target.id(), "root", List.of(ImageLayout.INSTALL_POLICY, "prepare"),
                    PREPARE_TIMEOUT);
            if (prepared.exitCode() == REFUSED) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.APPLY_FAILED, "the installer in " + name
                        + " refused to stage: " + describe(prepared) + "; nothing changed");
            }
            if (!prepared.succeeded()) {
                throw new ClaudeDevcException(ClaudeDevcException.Kind.NOT_READY, "cannot stage in " + name + ": "
                        + ImageLayout.INSTALL_POLICY + " prepare: " + describe(prepared) + " (an image built before "
                        + "apply existed has no installer: claude-devc generate, build, and restart the container)");
            }
            engine.writeFiles(target.id(), ImageLayout.STAGING, staged);
            applied = engine.exec(target.id(), "root", List.of(ImageLayout.INSTALL_POLICY, "apply"), APPLY_TIMEOUT);
            statusOutput = engine.exec(target.id(), "root", List.of(ImageLayout.FIREWALL, "status"),
                    Duration.ofSeconds(30)).output();
            outcome = outcome(applied, statusOutput);
            if (outcome.equals("open")) {
                // Not even the lockdown is known in place: like the entrypoint, refuse to leave it running open.
                err.println("apply: " + name + " is not known to be closed: stopping it");
                try {
                    engine.stopContainer(target.id());
                    outcome = "stopped";
                } catch (RuntimeException e) {
                    err.println("apply: cannot stop " + name + ": " + e.getMessage());
                }
            }
        }
        FirewallStatus status = FirewallStatus.parse(statusOutput);
        print(outcome, name, status, applied);
        if (!outcome.equals("applied")) {
            throw new ClaudeDevcException(ClaudeDevcException.Kind.APPLY_FAILED, switch (outcome) {
                case "refused" -> "the installer in " + name + " refused the staged files: nothing changed, the "
                        + "firewall is " + status.summary();
                case "closed" -> "the firewall in " + name + " did not take the new policy: the previous files are "
                        + "back and the container is CLOSED (outbound traffic blocked until the next firewall run: "
                        + "a successful apply, a restart, or the agent's own 'sudo " + ImageLayout.FIREWALL
                        + "', which it may run at any time; the last two apply the PREVIOUS policy); status: "
                        + status.summary();
                case "stopped" -> "the firewall in " + name + " did not take the new policy and the network is not "
                        + "known to be closed (or the previous files could not be put back): the container was stopped";
                default -> "the firewall in " + name + " did not take the new policy, does NOT record the network "
                        + "as closed, and the container could not be stopped: stop it (docker stop " + name + ")";
            });
        }
        return ExitCodes.OK;
    }

    /** How the installer's run ended, read from its exit code and the firewall's record (closed=yes). */
    static String outcome(ExecResult applied, String statusOutput) {
        if (applied.succeeded()) {
            return "applied";
        }
        if (applied.exitCode() == REFUSED) {
            return "refused";
        }
        return applied.exitCode() == FAILED_OPEN || !FirewallStatus.closedIn(statusOutput) ? "open" : "closed";
    }

    /** The policy files by their path in the image, relative to the staging folder (etc/claude-devc/policy.conf). */
    static Map<String, byte[]> staged(GeneratedTree tree) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ImageLayout.PlacedFile file : ImageLayout.POLICY_FILES) {
            files.put(file.path().substring(1), tree.get(file.name()).orElseThrow(() -> new IllegalStateException(
                    "generate renders no " + file.name())).content());
        }
        return files;
    }

    private static List<String> files() {
        return ImageLayout.POLICY_FILES.stream().map(ImageLayout.PlacedFile::path).toList();
    }

    private static String describe(ExecResult result) {
        String last = result.lastLine();
        return (result.timedOut() ? "timed out" : "exit " + result.exitCode()) + (last.isEmpty() ? "" : ": " + last);
    }

    private void print(String outcome, String name, FirewallStatus status, ExecResult applied) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("container", name);
            data.put("files", files());
            data.put("firewall", Map.of("result", status.result(), "inForce", status.inForce(),
                    "problems", status.problems()));
            data.put("installer", applied.lines());
            JsonOption.print(out, outcome, data);
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        applied.lines().forEach(l -> err.println("  | " + l));
        if (outcome.equals("applied")) {
            out.println("applied to " + name + ": " + String.join(", ", files()) + "; firewall " + status.summary());
        }
    }
}
