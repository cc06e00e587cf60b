package dev.claudedevc.policy;

/** An entry of the effective policy: what it covers, in the descriptor's grammar, and where it came from. */
public sealed interface PolicyEntry permits AllowEntry, DenyEntry {

    Provenance provenance();

    /** The entry as a descriptor would spell it ({@code *.example.com:8443}, {@code 10.0.0.0/8}). */
    String spelling();
}
