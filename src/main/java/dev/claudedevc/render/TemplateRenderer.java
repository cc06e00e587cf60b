package dev.claudedevc.render;

import java.util.Map;

/** Renders a named template against a view model. */
@FunctionalInterface
public interface TemplateRenderer {

    /**
     * Renders {@code template} (an asset name such as {@code templates/Dockerfile.mustache}).
     *
     * @throws dev.claudedevc.ClaudeDevcException of kind INVALID_OUTPUT when the template is missing, malformed or
     *         uses a variable the view lacks
     */
    String render(String template, Map<String, ?> view);
}
