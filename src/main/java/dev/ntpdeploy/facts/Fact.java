package dev.ntpdeploy.facts;

import java.util.List;

/**
 * Something ntpdeploy learns about a host (pyinfra's FactBase): a remote script with its arguments, run as ONE
 * exec, and a pure, total parser of what it printed. Tests feed the parser captured outputs whose header names
 * the script's sha256 ({@link RemoteScript#sha256()}), so a capture goes stale visibly when its script changes.
 *
 * @param <T> what the fact says
 */
public interface Fact<T> {

    /** The script that gathers it. */
    RemoteScript script();

    /** Its positional arguments (inventory-derived values travel only here, each quoted as one word). */
    List<String> arguments();

    /** What reads the script's output; it may throw {@link IllegalArgumentException} for an output it cannot use. */
    T process(ScriptOutput output);

    /** The shell text to exec (privileged). */
    default String command() {
        return script().command(arguments());
    }

    default T process(String stdout) {
        return process(ScriptOutput.parse(stdout));
    }
}
