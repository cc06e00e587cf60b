package dev.claudedevc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the docker layer lands. */
@Command(name = "verify", description = "Not yet available.")
final class VerifyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("verify");
    }
}
