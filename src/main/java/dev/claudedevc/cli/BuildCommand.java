package dev.claudedevc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the docker layer lands. */
@Command(name = "build", description = "Not yet available.")
final class BuildCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("build");
    }
}
