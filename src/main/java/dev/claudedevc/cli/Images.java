package dev.claudedevc.cli;

import dev.claudedevc.model.Descriptor;
import java.util.regex.Pattern;

/** What {@code build} puts on the images it makes, and what the other commands read back. */
final class Images {

    static final String LABEL_PROJECT = "dev.claudedevc.project";
    static final String LABEL_DESCRIPTOR = "dev.claudedevc.descriptor-sha256";
    static final String LABEL_VERSION = "dev.claudedevc.version";
    /** The Dockerfile's first line declares this; overriding it swaps the base image. */
    static final String BASE_IMAGE_ARG = "CLAUDE_DEVC_BASE_IMAGE";

    /**
     * An image reference as Docker parses it: an optional registry (a host with a dot or a port, or
     * {@code localhost}), lower-case path components, an optional tag and digest.
     */
    static final Pattern IMAGE_REFERENCE = Pattern.compile(
            "(?:(?:localhost|[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+)(?::[0-9]{1,5})?/|[a-zA-Z0-9-]+:[0-9]{1,5}/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?");
    /** The tag {@code build} gives and {@code verify} looks for when none is named. */
    static String defaultTag(Descriptor descriptor) {
        return "claude-devc/" + descriptor.name() + ":latest";
    }

    private Images() {
    }
}
