package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.descriptor.CaCertificates;
import dev.claudedevc.generate.GeneratedFile;
import dev.claudedevc.generate.Generator;
import dev.claudedevc.generate.TreeWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ca}: this machine's own CA certificates, trusted by images built here and never committed. */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = {"Trusts this machine's CA certificates without committing them.",
            "",
            "ca import FILE... checks each file (X.509 certificates only: a private key or anything else is "
                + "refused, naming the block) and writes the certificates re-encoded into the output folder's "
                + "local-ca/, which the generated .gitignore keeps out of the repository. Images built on this "
                + "machine trust them, with every runtime's trust variable pointing at the system bundle."},
        subcommands = CaCommand.Import.class)
final class CaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.USAGE;
    }

    /** {@code ca import FILE...}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Checks and copies CA certificate files into the output folder's local-ca/ (git-ignored).")
    static final class Import implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOptions project;

        @Option(names = "--force", description = "Replace a certificate already imported under the same name.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "PEM files (relative to the current folder).")
        List<Path> files;

        @Override
        public Integer call() {
            Workspace workspace = Workspace.open(project);
            Map<String, Path> byName = new LinkedHashMap<>();
            List<GeneratedFile> out = new ArrayList<>();
            for (Path file : files) {
                Path absolute = file.toAbsolutePath().normalize();
                String name = CaCertificates.installName(absolute.getFileName().toString());
                if (!name.matches("[a-z0-9_][a-z0-9_.-]{0,63}")) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, absolute + ": rename"
                            + " the file to letters, digits and . _ - (it is installed as NAME.crt)");
                }
                Path earlier = byName.putIfAbsent(name, absolute);
                if (earlier != null) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, absolute + " and "
                            + earlier + " would both be installed as " + name + ".crt; rename one");
                }
                String pem;
                try {
                    pem = CaCertificates.reencode(absolute.toRealPath(), absolute.toString());
                } catch (java.io.IOException e) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.IO, absolute + ": " + e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw new ClaudeDevcException(ClaudeDevcException.Kind.INVALID_DESCRIPTOR, e.getMessage(), e);
                }
                out.add(new GeneratedFile(Generator.LOCAL_CA_DIR + "/" + name + ".crt",
                        pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII), false));
            }
            Output.written(spec.commandLine().getOut(), TreeWriter.write(workspace.outputDir(), out, force),
                    false);
            spec.commandLine().getErr().println("next: claude-devc build (these stay on this machine: "
                    + Output.display(workspace.outputDir().resolve(Generator.LOCAL_CA_DIR)) + " is git-ignored)");
            return ExitCodes.OK;
        }
    }
}
