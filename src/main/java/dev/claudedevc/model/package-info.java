/**
 * The descriptor as immutable values. Every value here has already been validated against a tight pattern by
 * {@code dev.claudedevc.descriptor}, so it is safe to place in shell, Dockerfile or JSON context. JDK only.
 */
package dev.claudedevc.model;
