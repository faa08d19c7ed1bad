package dev.ntpdeploy.verify;

import java.util.List;

/**
 * One diagnosed problem: what is wrong (cause), what to change (fix), and the output lines that show it.
 *
 * @param code     stable UPPER_SNAKE identifier (for scripts and docs), one of {@link FindingCode}
 * @param evidence verbatim lines from the host (billboard rows, log lines), may be empty
 */
public record Finding(String code, Severity severity, String message, String fix, List<String> evidence) {

    public Finding {
        evidence = List.copyOf(evidence);
    }
}
