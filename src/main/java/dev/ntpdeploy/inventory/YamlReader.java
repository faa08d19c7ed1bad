package dev.ntpdeploy.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a YAML file into {@link YamlNode}s that remember where each key and value was written.
 *
 * <p>Strict on purpose: Jackson does not resolve anchors, aliases, {@code <<} merge keys or tags
 * (an alias would silently read as its name), so they are refused with a clear error instead.
 * (Jackson 2.23 reports anchors on mappings and lists but not on scalars; an anchored scalar
 * means what it says, and any alias to it is refused where it is used.)
 * Duplicate keys are detected here rather than with STRICT_DUPLICATE_DETECTION so the message can
 * name both lines. Every key and scalar is checked for control characters (a newline in a value
 * would inject directives into ntp.conf) and, like nesting and lists, against {@link Limits}.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();
    private static final String STR_TAG = "tag:yaml.org,2002:str";

    private final Path file;
    private final YAMLParser parser;

    private YamlReader(Path file, YAMLParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** snakeyaml's own document limit (3 MiB code points by default) must never be met before ours, in bytes. */
    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Limits.FILE_BYTES);
        return o;
    }

    /** @return the document's root node, never null */
    static YamlNode read(Path file) throws InventoryException {
        String text = SourceText.read(file);
        try (YAMLParser p = FACTORY.createParser(text)) {
            YamlReader r = new YamlReader(file, p);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InventoryException(new SourcePos(file, 1, 1)
                        + ": the inventory is empty (start it with 'all:' and declare groups 'masters' and 'clients')");
            }
            YamlNode root = r.readValue(first, "the document", 1);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new InventoryException(r.pos() + ": a second YAML document starts here"
                        + " (an inventory is one document: remove the '---' and what follows, or merge it)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) { // the text is in memory: only the parser can fail
            throw new InventoryException(file + ": cannot parse: " + Excerpt.plain(String.valueOf(e.getMessage()), 200));
        }
    }

    private static InventoryException syntaxError(Path file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String what = e.getOriginalMessage();
        if (e instanceof JacksonYAMLParseException && e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
            what = m.getProblem();
            if (m.getProblemMark() != null) {
                loc = new JsonLocation(null, -1, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
            }
            if (m.getContext() != null) {
                what = m.getContext() + ": " + what;
            }
        } else if (e.getCause() instanceof org.yaml.snakeyaml.error.YAMLException y) {
            what = y.getMessage();
        }
        int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
        String oneLine = what == null ? "invalid YAML" : Excerpt.plain(what.replaceAll("\\s+", " ").trim(), 200);
        return new InventoryException(new SourcePos(file, line, col) + ": YAML syntax error: " + oneLine
                + " (check the indentation and quoting on this line and the one before)");
    }

    private SourcePos pos() {
        JsonLocation l = parser.currentTokenLocation();
        return new SourcePos(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    /** @param depth how many mappings and lists this value is in, counting itself if it is one (the root: 1) */
    private YamlNode readValue(JsonToken token, String where, int depth) throws IOException, InventoryException {
        SourcePos pos = pos();
        refuseUnresolvedYaml(pos, where);
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > Limits.NESTING) {
            throw Limits.exceeded(pos, "a value nested " + depth + " levels deep in " + where, Limits.NESTING, "levels",
                    "flatten it: inventories nest groups, hosts and lists, never this deep");
        }
        switch (token) {
            case START_OBJECT:
                return readMapping(pos, depth);
            case START_ARRAY:
                return readSequence(pos, where, depth);
            case VALUE_STRING:
                if (parser.getText().isEmpty()) { // Jackson gives an empty plain value as "" or null, by context
                    return new YamlNode.Scalar(pos, "", YamlNode.Scalar.Type.NULL);
                }
                return scalar(pos, where, YamlNode.Scalar.Type.STRING);
            case VALUE_NUMBER_INT:
                return scalar(pos, where, YamlNode.Scalar.Type.INT);
            case VALUE_NUMBER_FLOAT:
                return scalar(pos, where, YamlNode.Scalar.Type.FLOAT);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return scalar(pos, where, YamlNode.Scalar.Type.BOOL);
            case VALUE_NULL:
                return new YamlNode.Scalar(pos, "", YamlNode.Scalar.Type.NULL);
            default:
                throw new InventoryException(pos + ": unexpected YAML token " + token + " in " + where
                        + " (write plain mappings, lists and scalars)");
        }
    }

    private YamlNode.Scalar scalar(SourcePos pos, String where, YamlNode.Scalar.Type type)
            throws IOException, InventoryException {
        String text = parser.getText();
        checkLength(text, pos, "a value", " in " + where);
        checkControlChars(text, pos, where);
        return new YamlNode.Scalar(pos, text, type);
    }

    private static void checkLength(String text, SourcePos pos, String what, String where) throws InventoryException {
        if (text.length() > Limits.SCALAR_CHARS && text.codePointCount(0, text.length()) > Limits.SCALAR_CHARS) {
            throw Limits.exceeded(pos, what + " of " + Excerpt.count(text.codePointCount(0, text.length()))
                    + " characters" + where, Limits.SCALAR_CHARS, "characters",
                    "no setting needs that much: is a file's content pasted here?");
        }
    }

    private YamlNode.Mapping readMapping(SourcePos pos, int depth) throws IOException, InventoryException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            SourcePos keyPos = pos();
            checkLength(key, keyPos, "a key", "");
            checkControlChars(key, keyPos, "a key");
            if ("<<".equals(key)) {
                throw new InventoryException(keyPos + ": YAML merge key '<<' is not supported"
                        + " (ntpdeploy does not resolve anchors; write the variables out, or put shared ones in a group's 'vars:')");
            }
            YamlNode.Entry first = entries.get(key);
            if (first != null) {
                throw new InventoryException(keyPos + ": duplicate key " + Excerpt.quote(key) + " (first at line "
                        + first.keyPos().line() + "; YAML would silently keep only one: remove one of them)");
            }
            JsonToken valueToken = parser.nextToken();
            YamlNode value = readValue(valueToken, Excerpt.quote(key), depth + 1);
            entries.put(key, new YamlNode.Entry(key, keyPos, value));
        }
        if (t != JsonToken.END_OBJECT) {
            throw new InventoryException(pos() + ": malformed mapping (check the indentation)");
        }
        return new YamlNode.Mapping(pos, entries);
    }

    private YamlNode.Sequence readSequence(SourcePos pos, String where, int depth) throws IOException, InventoryException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new InventoryException(pos() + ": unterminated list (check the brackets and indentation)");
            }
            if (items.size() == Limits.LIST_ITEMS) {
                throw Limits.exceeded(pos(), "item " + Excerpt.count(Limits.LIST_ITEMS + 1L) + " of " + where,
                        Limits.LIST_ITEMS, "items", "no setting needs that many: ntpd uses a handful of upstreams,"
                        + " and ntp_allow takes networks, not single hosts");
            }
            items.add(readValue(t, where.startsWith("an item of ") ? where : "an item of " + where, depth + 1));
        }
        return new YamlNode.Sequence(pos, items);
    }

    private void refuseUnresolvedYaml(SourcePos pos, String where) throws IOException, InventoryException {
        if (parser.isCurrentAlias()) {
            throw new InventoryException(pos + ": YAML alias " + Excerpt.quote("*" + parser.getText()) + " in " + where
                    + " is not supported (ntpdeploy does not resolve anchors and aliases: write the value out)");
        }
        String anchor = parser.getCurrentAnchor();
        if (anchor != null) {
            throw new InventoryException(pos + ": YAML anchor " + Excerpt.quote("&" + anchor) + " in " + where
                    + " is not supported (ntpdeploy does not resolve anchors and aliases: remove it and write values out)");
        }
        String tag = parser.getTypeId();
        if (tag != null && !STR_TAG.equals(tag) && !"!!str".equals(tag)) {
            if (tag.contains("vault")) {
                throw new InventoryException(pos + ": Ansible Vault value in " + where
                        + " is not supported (secrets do not belong in the inventory: pass passwords through"
                        + " NTPDEPLOY_SSH_PASSWORD / NTPDEPLOY_BECOME_PASSWORD or --ask-pass / --ask-become-pass)");
            }
            throw new InventoryException(pos + ": YAML tag " + Excerpt.quote(tag) + " in " + where
                    + " is not supported (remove the tag; write a plain value)");
        }
    }

    private static void checkControlChars(String text, SourcePos pos, String where) throws InventoryException {
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
