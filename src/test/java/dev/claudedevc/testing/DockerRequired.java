package dev.claudedevc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Docker-dependent tests call {@link #check()} first: without an engine they are skipped with a clear message on
 * a laptop, and fail under {@code CI=true}, where a skipped integration test would prove nothing.
 */
public final class DockerRequired {

    private DockerRequired() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void check() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return;
        }
        String message = "no Docker engine answers (run ./test as root, or .ci/provision, to start one)";
        if (inCi()) {
            fail("CI=true but " + message);
        }
        Assumptions.abort("skipping: " + message);
    }

    /** Like {@link #check()}, for a tool other than Docker that the test needs. */
    public static void tool(boolean present, String what) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail("CI=true but " + what + " is missing (.ci/provision installs it)");
        }
        Assumptions.abort("skipping: " + what + " is missing (.ci/provision installs it)");
    }
}
