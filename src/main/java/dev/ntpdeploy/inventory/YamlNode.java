package dev.ntpdeploy.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written: the inventory keeps positions on every node so that
 * errors found long after parsing (merging, validation) still point at file:line:column.
 */
public sealed interface YamlNode {

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
     * A scalar as written, with the type and value Ansible's loader gives it.
     *
     * @param text  the scalar's text (for NULL: empty)
     * @param type  STRING, INT, FLOAT, BOOL or NULL as Ansible types it (see {@link Yaml11})
     * @param value the typed value: String, Long or BigInteger, Double, Boolean, or null
     */
    record Scalar(SourcePos pos, String text, Type type, Object value) implements YamlNode {
        public enum Type { STRING, INT, FLOAT, BOOL, NULL }

        /** A scalar whose value follows from its text as YAML 1.1 constructs it. */
        Scalar(SourcePos pos, String text, Type type) {
            this(pos, text, type, Yaml11.value(text, type));
        }

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

        public boolean isNull() {
            return type == Type.NULL;
        }
    }

    /** The value as plain Java (String, Long, Double, Boolean, null, List, Map), for templates. */
    static Object toPlain(YamlNode node) {
        if (node instanceof Scalar s) {
            return s.value();
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
}
