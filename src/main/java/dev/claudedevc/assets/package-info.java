/**
 * The built-in files packaged into the jar ({@code templates/} and {@code firewall/} of the repository), and a
 * team's override folder that replaces any of them by name.
 */
package dev.claudedevc.assets;
