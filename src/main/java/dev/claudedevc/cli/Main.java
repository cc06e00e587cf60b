package dev.claudedevc.cli;

import dev.claudedevc.ClaudeDevcException;
import dev.claudedevc.docker.EngineFactory;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point. {@link #run} is what tests call: streams injected, exit code returned, nothing exits the JVM. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @param args the arguments, without the program name
     * @param out  where results go
     * @param err  where progress and errors go
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, EngineFactory.REAL);
    }

    /**
     * Runs one command line against the engine {@code engines} connects to (tests pass a scripted one).
     *
     * @see #run(String[], PrintStream, PrintStream)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, EngineFactory engines) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        ClaudeDevcCommand root = new ClaudeDevcCommand(engines);
        CommandLine cli = new CommandLine(root);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, root.verbose(), errWriter));
        try {
            return cli.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int report(Exception e, boolean verbose, PrintWriter err) {
        if (e instanceof ClaudeDevcException failure) {
            err.println("claude-devc: " + failure.getMessage());
            if (verbose) {
                failure.printStackTrace(err);
            }
            return ExitCodes.of(failure.kind());
        }
        err.println("claude-devc: internal error: " + e + (verbose ? "" : " (rerun with --verbose for details)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        return ExitCodes.INTERNAL_ERROR;
    }
}
