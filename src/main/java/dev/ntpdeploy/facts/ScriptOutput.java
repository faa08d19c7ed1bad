package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Excerpt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one output format of ntpdeploy's remote scripts ({@code src/main/resources/remote/}, see {@code common.sh}),
 * and its one parser: sections. A line {@code @@ntpdeploy:NAME@@} opens section NAME; the lines after it, up to
 * the next such line, are its body, verbatim (trailing blank lines dropped). A section may repeat; lines before
 * the first section (a captured fixture's comments) belong to none. Every script ends with section {@code end}.
 * Total: any text parses, so what a section's body means is for each fact's parser to judge.
 */
public final class ScriptOutput {

    static final String MARK = "@@ntpdeploy:";
    private static final Pattern SECTION = Pattern.compile("^@@ntpdeploy:([a-z0-9_.]+)@@$");

    /** One section: its name and its body's lines. */
    public record Section(String name, List<String> lines) {
        public Section {
            lines = List.copyOf(lines);
        }

        /** The first line, stripped; empty when the body is empty or blank. */
        public Optional<String> value() {
            return lines.isEmpty() || lines.get(0).isBlank() ? Optional.empty() : Optional.of(lines.get(0).strip());
        }

        /** The body's line {@code i}, or "" when it has no such line. */
        public String line(int i) {
            return i < lines.size() ? lines.get(i) : "";
        }
    }

    private final List<Section> sections;
    private final String raw;

    private ScriptOutput(List<Section> sections, String raw) {
        this.sections = List.copyOf(sections);
        this.raw = raw;
    }

    public static ScriptOutput parse(String stdout) {
        List<Section> out = new ArrayList<>();
        String name = null;
        List<String> body = new ArrayList<>();
        for (String line : (stdout == null ? "" : stdout).replace("\r", "").split("\n", -1)) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                if (name != null) {
                    out.add(section(name, body));
                }
                name = m.group(1);
                body = new ArrayList<>();
            } else if (name != null) {
                body.add(line);
            }
        }
        if (name != null) {
            out.add(section(name, body));
        }
        return new ScriptOutput(out, stdout == null ? "" : stdout);
    }

    private static Section section(String name, List<String> body) {
        int end = body.size();
        while (end > 0 && body.get(end - 1).isEmpty()) {
            end--;
        }
        return new Section(name, body.subList(0, end));
    }

    /** The text parsed (evidence for a parser that cannot use it); empty for a {@link #within} view. */
    public String raw() {
        return raw;
    }

    public List<Section> sections() {
        return sections;
    }

    public boolean has(String name) {
        return sections.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Every section of that name, in output order. */
    public List<Section> all(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The body of the first section of that name; empty when there is none. */
    public List<String> lines(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().map(Section::lines).orElse(List.of());
    }

    /** The first line of the first section of that name, stripped; empty when there is none or it is blank. */
    public Optional<String> value(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().flatMap(Section::value);
    }

    /** The sections named {@code prefix.NAME}, as NAME (a script's output that another one reported under a prefix). */
    public ScriptOutput within(String prefix) {
        String p = prefix + ".";
        return new ScriptOutput(sections.stream().filter(s -> s.name().startsWith(p))
                .map(s -> new Section(s.name().substring(p.length()), s.lines())).toList(), "");
    }

    /** The script ran to its end (it printed its {@code end} section). */
    public boolean complete() {
        return has("end");
    }

    /** Nothing at all was printed in this format. */
    public boolean isEmpty() {
        return sections.isEmpty();
    }

    /**
     * A value that must be a decimal number from 0 to {@code max}.
     *
     * @param where what printed it and the section, for the message ("probe output: ntpd_pid")
     * @param what  what the number is ("a process id")
     * @throws IllegalArgumentException one line: where, what was expected and the value as messages quote values
     */
    public static long number(String value, long max, String where, String what) {
        if (value.matches("\\d{1,18}") && Long.parseLong(value) <= max) {
            return Long.parseLong(value);
        }
        throw new IllegalArgumentException(where + " is not " + what + ": " + Excerpt.quote(value));
    }
}
