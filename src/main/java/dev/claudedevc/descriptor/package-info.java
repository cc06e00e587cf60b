/**
 * Reading and validating the descriptor. Every failure is a {@link dev.claudedevc.ClaudeDevcException} of kind
 * {@code INVALID_DESCRIPTOR} whose message is one line: {@code file:line:column: key.path: reason}.
 */
package dev.claudedevc.descriptor;
