package dev.claudedevc.cli;

import dev.claudedevc.docker.DockerEngine;
import dev.claudedevc.docker.RunningContainer;
import dev.claudedevc.model.Endpoint;
import dev.claudedevc.model.NetworkPolicy;
import dev.claudedevc.policy.AllowEntry;
import dev.claudedevc.policy.Decision;
import dev.claudedevc.policy.Destination;
import dev.claudedevc.policy.PolicyEntry;
import dev.claudedevc.policy.Provenance;
import dev.claudedevc.verify.LiveCheck;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code check}: whether the policy lets one destination out, and which entry (from where) decides. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Says whether HOST[:PORT] may go out, and which entry decides it.",
            "",
            "A dry run against the project's effective policy (the descriptor with its presets, .mcp.json servers "
                + "and proxy): nothing is built or started. The port is 443 unless given; an IPv6 address with a "
                + "port is written [ADDRESS]:PORT. With --container it asks a running dev container instead: "
                + "its firewall's status, its resolver (the lookup is logged there like any other) and its allow "
                + "sets and rules, through the Docker API.",
            "",
            "Exit 0 when allowed, 12 when denied."})
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClaudeDevcCommand root;

    @Mixin
    ProjectOptions project;

    @Mixin
    JsonOption json;

    @Parameters(paramLabel = "HOST[:PORT]", description = "A host name or IP address, and a TCP port (default 443).")
    String destination;

    @Option(names = "--container", paramLabel = "NAME|ID", arity = "0..1", fallbackValue = "",
            description = "Ask this running dev container's firewall (without a value: the one the Dev Containers "
                    + "CLI or VS Code started for the project folder).")
    String container;

    @Override
    public Integer call() {
        Endpoint target;
        try {
            target = Destination.parse(destination);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "HOST[:PORT]: " + e.getMessage());
        }
        if (container != null && !container.isEmpty() && !container.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
            throw new ParameterException(spec.commandLine(), "--container: not a container name: " + container);
        }
        Workspace workspace = Workspace.open(project);
        if (container != null) {
            return live(workspace, target);
        }
        Decision decision = workspace.policy().decide(target.host(), target.port());
        NetworkPolicy.Mode mode = workspace.policy().mode();
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("host", target.host());
            data.put("port", target.port());
            data.put("verdict", word(decision.verdict().name()));
            data.put("reason", decision.reason());
            decision.entry().ifPresent(e -> data.put("entry", entry(e)));
            data.put("mode", word(mode.name()));
            print(out, decision.allowed(), data);
        } else {
            out.println((decision.allowed() ? "allowed: " : "denied: ") + target);
            out.println("  " + decision.reason());
            decision.entry().ifPresent(e -> out.println("  " + (e instanceof AllowEntry a ? a.spelling()
                    + " (port(s) " + a.portList() + ")" : e.spelling()) + " from " + e.provenance().describe()));
            if (mode == NetworkPolicy.Mode.AUDIT) {
                spec.commandLine().getErr().println("check: network.mode is audit: the firewall lets everything"
                        + " through and records what enforce mode would deny");
            }
        }
        return decision.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    private int live(Workspace workspace, Endpoint target) {
        LiveCheck.Answer answer;
        String name;
        try (DockerEngine engine = root.engines().connect()) {
            RunningContainer found = DevContainers.find(engine, container, workspace);
            name = found.name();
            answer = new LiveCheck(engine, found.id()).ask(target);
        }
        // The box may run another policy than the descriptor's (edited since the last build or apply).
        Decision descriptor = workspace.policy().decide(target.host(), target.port());
        boolean agrees = descriptor.allowed() == answer.allowed();
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("host", target.host());
            data.put("port", target.port());
            data.put("container", name);
            data.put("reason", answer.reason());
            data.put("mode", answer.mode());
            data.put("firewall", Map.of("result", answer.firewall().result(), "inForce", answer.firewall().inForce(),
                    "problems", answer.firewall().problems()));
            data.put("resolver", answer.resolver());
            data.put("addresses", answer.addresses());
            data.put("sets", answer.sets());
            data.put("descriptor", Map.of("outcome", descriptor.allowed() ? "allowed" : "denied",
                    "reason", descriptor.reason()));
            print(out, answer.allowed(), data);
        } else {
            out.println((answer.allowed() ? "allowed: " : "denied: ") + target + " (in " + name + ")");
            out.println("  " + answer.reason());
            if (!answer.addresses().isEmpty() && !answer.resolver().isEmpty()) {
                out.println("  resolver: " + answer.resolver() + " " + String.join(" ", answer.addresses()));
            }
        }
        if (!agrees && !answer.mode().equals("audit")) {
            spec.commandLine().getErr().println("check: the descriptor's policy says "
                    + (descriptor.allowed() ? "allowed" : "denied") + " (" + descriptor.reason() + "): " + name
                    + " runs another policy; apply the descriptor's with claude-devc apply --container " + name);
        }
        return answer.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    /** The one place the JSON result is printed: {@code {"outcome": "allowed"|"denied", ...data}}. */
    private static void print(PrintWriter out, boolean allowed, Map<String, Object> data) {
        JsonOption.print(out, allowed ? "allowed" : "denied", data);
    }

    private static Map<String, Object> entry(PolicyEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entry", e.spelling());
        if (e instanceof AllowEntry a) {
            out.put("match", word(a.match().name()));
            out.put("ports", a.ports());
        }
        Provenance p = e.provenance();
        out.put("source", word(p.kind().name()));
        if (!p.origin().isEmpty()) {
            out.put("origin", p.origin());
        }
        out.put("label", p.label());
        out.put("key", p.keyPath());
        out.put("location", p.location());
        return out;
    }

    /** {@code PORT_NOT_ALLOWED} as {@code port-not-allowed}. */
    private static String word(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
