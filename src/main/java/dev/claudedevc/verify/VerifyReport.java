package dev.claudedevc.verify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a verification run.
 *
 * @param image    the image as asked for
 * @param imageId  its id
 * @param network  the network the probes ran on
 * @param internal whether that network has no route out
 * @param ipv6     whether it is dual-stack
 * @param results  one per probe, in the order they ran
 * @param duration the whole run
 */
public record VerifyReport(String image, String imageId, String network, boolean internal, boolean ipv6,
        List<ProbeResult> results, Duration duration) {

    public VerifyReport {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(network, "network");
        results = List.copyOf(results);
        Objects.requireNonNull(duration, "duration");
    }

    public long count(ProbeStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** True when no probe failed. */
    public boolean passed() {
        return count(ProbeStatus.FAIL) == 0;
    }

    /** The probes that failed. */
    public List<ProbeResult> failures() {
        return results.stream().filter(r -> r.status() == ProbeStatus.FAIL).toList();
    }
}
