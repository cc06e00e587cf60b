package dev.claudedevc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "schema", description = "Not yet available.")
final class SchemaCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("schema");
    }
}
