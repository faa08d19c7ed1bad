package dev.ntpdeploy.inventory;

/**
 * The one check every key and value of an inventory passes, whatever wrote it (a YAML or JSON file, an INI
 * line after literal_eval's escapes, a group_vars/host_vars file): at most {@link Limits#SCALAR_CHARS}
 * characters, no control or invisible format character (a newline in a value would inject directives into
 * ntp.conf; a bidi override or zero-width character hides what a line says), lists of at most
 * {@link Limits#LIST_ITEMS} items, nesting of at most {@link Limits#NESTING} levels.
 */
final class SafeText {

    private SafeText() {
    }

    /** A variable's name and its whole value, every nested key and scalar. */
    static void check(VarParser.Var v) throws InventoryException {
        key(v.key(), v.keyPos());
        tree(v.value(), Excerpt.quote(v.key()), 1);
    }

    /** A key, group name or host name. */
    static void key(String key, SourcePos pos) throws InventoryException {
        length(key, pos, "a key", "");
        controlChars(key, pos, "a key");
    }

    /** One scalar's text, as written or as an escape sequence produced it. */
    static void value(String text, SourcePos pos, String where) throws InventoryException {
        length(text, pos, "a value", " in " + where);
        controlChars(text, pos, where);
    }

    /** The nesting of a value read as a whole (literal_eval's lists and dicts); YAML's is checked as it is read. */
    static void depth(int depth, SourcePos pos, String where) throws InventoryException {
        if (depth > Limits.NESTING) {
            throw Limits.exceeded(pos, "a value nested " + depth + " levels deep in " + where, Limits.NESTING, "levels",
                    "flatten it: inventories nest groups, hosts and lists, never this deep");
        }
    }

    static void listSize(int items, SourcePos pos, String where) throws InventoryException {
        if (items > Limits.LIST_ITEMS) {
            throw Limits.exceeded(pos, "item " + Excerpt.count(Limits.LIST_ITEMS + 1L) + " of " + where,
                    Limits.LIST_ITEMS, "items", "no setting needs that many: ntpd uses a handful of upstreams,"
                    + " and ntp_allow takes networks, not single hosts");
        }
    }

    private static void tree(YamlNode node, String where, int depth) throws InventoryException {
        if (node instanceof YamlNode.Scalar s) {
            if (!s.isNull()) {
                value(s.text(), s.pos(), where);
                if (s.value() instanceof String str && !str.equals(s.text())) {
                    value(str, s.pos(), where);
                }
            }
        } else if (node instanceof YamlNode.Sequence q) {
            depth(depth, q.pos(), where);
            listSize(q.items().size(), q.pos(), where);
            String item = where.startsWith("an item of ") ? where : "an item of " + where;
            for (YamlNode i : q.items()) {
                tree(i, item, depth + 1);
            }
        } else {
            depth(depth, node.pos(), where);
            for (YamlNode.Entry e : ((YamlNode.Mapping) node).entries().values()) {
                key(e.key(), e.keyPos());
                tree(e.value(), Excerpt.quote(e.key()), depth + 1);
            }
        }
    }

    private static void length(String text, SourcePos pos, String what, String where) throws InventoryException {
        if (text.length() > Limits.SCALAR_CHARS && text.codePointCount(0, text.length()) > Limits.SCALAR_CHARS) {
            throw Limits.exceeded(pos, what + " of " + Excerpt.count(text.codePointCount(0, text.length()))
                    + " characters" + where, Limits.SCALAR_CHARS, "characters",
                    "no setting needs that much: is a file's content pasted here?");
        }
    }

    private static void controlChars(String text, SourcePos pos, String where) throws InventoryException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // also invisible format characters (bidi overrides, zero-width): they hide what a line says
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT) {
                String name = switch (c) {
                    case '\n' -> "a newline";
                    case '\r' -> "a carriage return";
                    case '\t' -> "a tab";
                    default -> Character.getType(c) == Character.FORMAT ? "an invisible format character" : "a control character";
                };
                throw new InventoryException(pos + ": " + where + " contains " + name
                        + String.format(" (U+%04X)", (int) c)
                        + " (it could inject directives into ntp.conf: write the value on one line, without it)");
            }
        }
    }
}
