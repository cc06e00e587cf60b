/**
 * Strict Mustache rendering behind a one-method interface: no HTML escaping (the output is JSON, shell and
 * Dockerfile, whose values were validated when read), and a variable the view does not have is an error.
 */
package dev.claudedevc.render;
