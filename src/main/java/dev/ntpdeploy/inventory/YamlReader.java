package dev.ntpdeploy.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

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
public final class YamlReader {

    private static final YAMLFactory FACTORY = new EventYamlFactory(YAMLFactory.builder().loaderOptions(loaderOptions()));
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String STR_TAG = "tag:yaml.org,2002:str";

    private final Path file;
    private final JsonParser parser;
    /** The YAML parser, or null when the text is read as JSON. */
    private final EventYamlParser yaml;

    private YamlReader(Path file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
        this.yaml = parser instanceof EventYamlParser y ? y : null;
    }

    /** snakeyaml's own document limit (3 MiB code points by default) must never be met before ours, in bytes. */
    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(Limits.FILE_BYTES);
        return o;
    }

    /**
     * Any YAML file ntpdeploy reads besides inventories (playbooks), with the same strictness and limits.
     *
     * @return the document's root node, or null for an empty document
     * @throws InventoryException unreadable, not UTF-8, a syntax error or what this reader refuses (file:line:column)
     */
    public static YamlNode readDocument(Path file) throws InventoryException {
        return parse(file, SourceText.read(file));
    }

    /** @return the inventory document's root node, never null */
    static YamlNode read(Path file) throws InventoryException {
        YamlNode root = parse(file, SourceText.read(file));
        if (root == null) {
            throw new InventoryException(new SourcePos(file, 1, 1)
                    + ": the inventory is empty (start it with 'all:' and declare groups 'masters' and 'clients')");
        }
        return root;
    }

    /**
     * Parses text as Ansible's loader does: as JSON when it is JSON (Ansible tries json.loads first,
     * which types 1e3 as a number where YAML 1.1 keeps a string), else as YAML.
     *
     * @return the document's root node, or null for an empty document
     */
    static YamlNode parse(Path file, String text) throws InventoryException {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try (JsonParser p = JSON.createParser(text)) {
                return new YamlReader(file, p).document();
            } catch (IOException notJson) {
                // not JSON after all (a YAML flow mapping): read as YAML below, as Ansible does
            }
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            return new YamlReader(file, p).document();
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) { // the text is in memory: only the parser can fail
            throw new InventoryException(file + ": cannot parse: " + Excerpt.plain(String.valueOf(e.getMessage()), 200));
        }
    }

    private YamlNode document() throws IOException, InventoryException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return null;
        }
        YamlNode root = readValue(first, "the document", 1);
        JsonToken extra = parser.nextToken();
        if (extra != null) {
            throw new InventoryException(pos() + ": a second YAML document starts here"
                    + " (one file is one document: remove the '---' and what follows, or merge it)");
        }
        return root;
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
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            SafeText.depth(depth, pos, where);
        }
        switch (token) {
            case START_OBJECT:
                return readMapping(pos, depth);
            case START_ARRAY:
                return readSequence(pos, where, depth);
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                return scalar(pos, token, where);
            default:
                throw new InventoryException(pos + ": unexpected YAML token " + token + " in " + where
                        + " (write plain mappings, lists and scalars)");
        }
    }

    /**
     * A scalar typed as Ansible's loader types it: YAML's plain scalars by YAML 1.1 ({@link Yaml11}),
     * quoted and block ones as strings; JSON's by JSON.
     */
    private YamlNode.Scalar scalar(SourcePos pos, JsonToken token, String where) throws IOException, InventoryException {
        String text;
        YamlNode.Scalar.Type type;
        Object value;
        ScalarEvent event = yaml == null ? null : yaml.scalarEvent();
        if (event != null) {
            text = event.getValue();
            boolean tagged = parser.getTypeId() != null; // only !!str gets this far
            type = event.isPlain() && !tagged ? Yaml11.resolve(text) : YamlNode.Scalar.Type.STRING;
            value = Yaml11.value(text, type);
        } else {
            text = token == JsonToken.VALUE_NULL ? "" : parser.getText();
            switch (token) {
                case VALUE_NUMBER_INT -> {
                    type = YamlNode.Scalar.Type.INT;
                    value = Yaml11.narrow(parser.getBigIntegerValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    type = YamlNode.Scalar.Type.FLOAT;
                    value = parser.getDoubleValue();
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    type = YamlNode.Scalar.Type.BOOL;
                    value = token == JsonToken.VALUE_TRUE;
                }
                case VALUE_NULL -> {
                    type = YamlNode.Scalar.Type.NULL;
                    value = null;
                }
                default -> {
                    type = YamlNode.Scalar.Type.STRING;
                    value = text;
                }
            }
        }
        SafeText.value(text, pos, where);
        return new YamlNode.Scalar(pos, text, type, value);
    }

    private YamlNode.Mapping readMapping(SourcePos pos, int depth) throws IOException, InventoryException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            SourcePos keyPos = pos();
            SafeText.key(key, keyPos);
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
            SafeText.listSize(items.size() + 1, pos(), where);
            items.add(readValue(t, where.startsWith("an item of ") ? where : "an item of " + where, depth + 1));
        }
        return new YamlNode.Sequence(pos, items);
    }

    private void refuseUnresolvedYaml(SourcePos pos, String where) throws IOException, InventoryException {
        if (yaml == null) {
            return;
        }
        if (yaml.isCurrentAlias()) {
            throw new InventoryException(pos + ": YAML alias " + Excerpt.quote("*" + parser.getText()) + " in " + where
                    + " is not supported (ntpdeploy does not resolve anchors and aliases: write the value out)");
        }
        String anchor = yaml.getCurrentAnchor();
        if (anchor != null) {
            throw new InventoryException(pos + ": YAML anchor " + Excerpt.quote("&" + anchor) + " in " + where
                    + " is not supported (ntpdeploy does not resolve anchors and aliases: remove it and write values out)");
        }
        String tag = parser.getTypeId() == null ? null : parser.getTypeId().toString();
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

    /** Jackson's YAML parser, telling the scalar event behind the current token (plain or quoted, its text as written). */
    private static final class EventYamlParser extends YAMLParser {
        EventYamlParser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions options, Reader reader) {
            super(ctxt, parserFeatures, formatFeatures, options, null, reader);
        }

        ScalarEvent scalarEvent() {
            return _lastEvent instanceof ScalarEvent e ? e : null;
        }
    }

    private static final class EventYamlFactory extends YAMLFactory {
        EventYamlFactory(YAMLFactoryBuilder builder) {
            super(builder);
        }

        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return new EventYamlParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, r);
        }

        @Override
        protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
            return _createParser(new CharArrayReader(data, offset, len), ctxt);
        }
    }
}
