package dev.ntpdeploy.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written: the inventory keeps positions on every node so that
 * errors found long after parsing (merging, validation) still point at file:line:column.
 */
sealed interface YamlNode {

    SourcePos pos();

    /** What kind of value this is, in the words an error message uses. */
    String kind();

    /** A mapping; keys keep their own positions and the file's order. */
    record Mapping(SourcePos pos, Map<String, Entry> entries) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One key of a mapping: where the key is written, and its value. */
    record Entry(String key, SourcePos keyPos, YamlNode value) {
    }

    record Sequence(SourcePos pos, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar as written, with the type YAML gave it.
     *
     * @param text  the scalar's text (for NULL: empty)
     * @param type  STRING, INT, FLOAT, BOOL or NULL as the YAML parser typed it
     */
    record Scalar(SourcePos pos, String text, Type type) implements YamlNode {
        enum Type { STRING, INT, FLOAT, BOOL, NULL }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INT -> "an integer";
                case FLOAT -> "a number";
                case BOOL -> "a boolean";
                case NULL -> "empty";
            };
        }

        boolean isNull() {
            return type == Type.NULL;
        }
    }

    /** The value as plain Java (String, Long, Double, Boolean, null, List, Map), for templates. */
    static Object toPlain(YamlNode node) {
        if (node instanceof Scalar s) {
            return switch (s.type()) {
                case NULL -> null;
                case BOOL -> bool(s.text()).<Object>map(b -> b).orElse(s.text());
                case INT -> parseLongOrText(s.text());
                case FLOAT -> parseDoubleOrText(s.text());
                case STRING -> s.text();
            };
        }
        if (node instanceof Sequence q) {
            List<Object> out = new ArrayList<>();
            q.items().forEach(i -> out.add(toPlain(i)));
            return java.util.Collections.unmodifiableList(out);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Mapping) node).entries().forEach((k, e) -> out.put(k, toPlain(e.value())));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * A YAML 1.1 boolean as Ansible reads it: true/yes/on, false/no/off, in any case. Jackson also
     * types y and n as booleans; Ansible reads them as strings, and so does this (empty).
     */
    static java.util.Optional<Boolean> bool(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> java.util.Optional.of(true);
            case "false", "no", "off" -> java.util.Optional.of(false);
            default -> java.util.Optional.empty();
        };
    }

    private static Object parseLongOrText(String text) {
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text; // octal/hex/sexagesimal YAML 1.1 forms: keep as written
        }
    }

    private static Object parseDoubleOrText(String text) {
        try {
            return Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
