/**
 * The command line: the only package that sees picocli. One class per command; every controlled failure is a
 * {@link dev.claudedevc.ClaudeDevcException}, mapped to an exit code in {@link dev.claudedevc.cli.ExitCodes}.
 */
package dev.claudedevc.cli;
