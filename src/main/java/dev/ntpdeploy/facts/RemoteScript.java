package dev.ntpdeploy.facts;

import dev.ntpdeploy.Sha256;
import dev.ntpdeploy.transport.RemoteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A remote script: a file under {@code src/main/resources/remote/} with {@code common.sh} in front (the shared
 * environment, functions and output format, see {@link ScriptOutput}). Its inputs are positional arguments, each
 * quoted as one shell word: no value is ever spliced into the script's text, so the text is fixed and its sha256
 * names exactly what produced a captured output (fixtures carry it).
 *
 * @param name the file's name ("ntp-probe.sh")
 * @param text common.sh followed by the file
 */
public record RemoteScript(String name, String text) {

    /**
     * The file under {@code remote/}, with common.sh in front; "a.sh+b.sh" runs the files one after the other in
     * one exec (a daemon's own sections in front of a shared script).
     */
    public static RemoteScript of(String name) {
        StringBuilder text = new StringBuilder(file("common.sh"));
        for (String part : name.split("\\+")) {
            text.append(file(part));
        }
        return new RemoteScript(name, text.toString());
    }

    /** The text of the file {@code remote/NAME} alone. */
    public static String file(String name) {
        try (InputStream in = RemoteScript.class.getResourceAsStream("/remote/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /remote/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a captured output's header names: {@code sha256} of {@link #text()}. */
    public String sha256() {
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The command to exec: the arguments set as positional parameters ({@code set --}, a builtin), then the text. */
    public String command(List<String> arguments) {
        StringBuilder s = new StringBuilder("set --");
        for (String a : arguments) {
            s.append(' ').append(RemoteCommand.quote(a));
        }
        return s.append('\n').append(text).toString();
    }

    /**
     * The file alone (without common.sh) as the body of a subshell function {@code NAME() ( ... )}: how a script
     * runs another one inside its own process tree, with the same positional arguments it takes alone.
     */
    public static String asFunction(String function, String file) {
        return function + "() (\n" + file(file) + ")\n";
    }
}
