/**
 * {@code claude-devc audit}: reads what the firewall recorded (the resolver's query log and the denied-connection
 * records, see firewall/README.md) and proposes descriptor additions. Every name and address read from a log is
 * untrusted input (the agent chooses what it queries) and is validated with the descriptor's own patterns
 * before it is shown or proposed.
 */
package dev.claudedevc.audit;
