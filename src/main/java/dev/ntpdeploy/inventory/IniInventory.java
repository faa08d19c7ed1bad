package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.GroupGraph.Group;
import dev.ntpdeploy.inventory.VarParser.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory plugin (plugins/inventory/ini.py), line for line: {@code [group]} sections of
 * host lines ({@code NAME[:PORT] key=value ...}, split as Python's shlex does, ranges allowed),
 * {@code [group:vars]} of {@code key=value} lines, {@code [group:children]} of group names, comments
 * starting with {@code #} or {@code ;}. Every value goes through Python's literal_eval as Ansible's does
 * ({@link PythonLiteral}): {@code 80} is an int, {@code yes} a string. Hosts before any section are in
 * {@code ungrouped}. A {@code [x:vars]} or {@code [x:children]} naming a group never defined is an error,
 * as in Ansible.
 */
final class IniInventory {

    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    /** A group named by [x:vars] or [x:children] before it is defined, with where and by whom. */
    private record Pending(String state, SourcePos pos, List<Group> parents) {
    }

    private final InventoryData data;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private IniInventory(InventoryData data) {
        this.data = data;
    }

    static void read(String text, InventoryData data) throws InventoryException {
        new IniInventory(data).parse(text);
    }

    private void parse(String text) throws InventoryException {
        Group group = data.graph.get(InventoryData.UNGROUPED);
        String state = "hosts";
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            int column = raw.indexOf(line.charAt(0)) + 1;
            SourcePos pos = new SourcePos(data.file, n + 1, column);
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    throw new InventoryException(pos + ": section " + Excerpt.quote(line) + " has unknown type "
                            + Excerpt.quote(state) + " (use [" + Excerpt.plain(name) + "], [" + Excerpt.plain(name)
                            + ":vars] or [" + Excerpt.plain(name) + ":children])");
                }
                boolean known = data.graph.get(name) != null;
                if (!known && state.equals("vars") && !pending.containsKey(name)) {
                    pending.put(name, new Pending("vars", pos, new ArrayList<>()));
                }
                group = data.group(name, pos);
                Pending p = pending.get(name);
                if (p != null && !state.equals("vars")) {
                    if (p.state().equals("children")) {
                        addPendingChildren(name);
                    } else {
                        pending.remove(name);
                    }
                }
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                throw new InventoryException(pos + ": invalid section " + Excerpt.quote(line) + " (write [NAME], [NAME:vars]"
                        + " or [NAME:children], with no spaces in the brackets)");
            }
            switch (state) {
                case "hosts" -> hostLine(group, raw, n + 1);
                case "vars" -> varLine(group, raw, line, pos);
                default -> childLine(group, line, pos);
            }
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.state().equals("vars")) {
                throw new InventoryException(p.pos() + ": section [" + Excerpt.plain(e.getKey()) + ":vars] is for group "
                        + Excerpt.quote(e.getKey()) + ", which is never defined (add a [" + Excerpt.plain(e.getKey())
                        + "] section with its hosts, or remove the variables)");
            }
            throw new InventoryException(p.pos() + ": [" + Excerpt.plain(p.parents().get(p.parents().size() - 1).name)
                    + ":children] names group " + Excerpt.quote(e.getKey()) + ", which is never defined (add a ["
                    + Excerpt.plain(e.getKey()) + "] section, or fix the name)");
        }
    }

    private void addPendingChildren(String name) throws InventoryException {
        Pending p = pending.remove(name);
        Group g = data.graph.get(name);
        for (Group parent : p.parents()) {
            data.graph.link(parent, g, p.pos());
            Pending up = pending.get(parent.name);
            if (up != null && up.state().equals("children")) {
                addPendingChildren(parent.name);
            }
        }
    }

    private void childLine(Group parent, String line, SourcePos pos) throws InventoryException {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            throw new InventoryException(pos + ": expected a group name, got " + Excerpt.quote(line)
                    + " (a [" + Excerpt.plain(parent.name) + ":children] section lists one group per line)");
        }
        String child = m.group(1);
        Group g = data.graph.get(child);
        if (g == null) {
            Pending p = pending.get(child);
            if (p == null) {
                pending.put(child, new Pending("children", pos, new ArrayList<>(List.of(parent))));
            } else {
                p.parents().add(parent);
            }
        } else {
            data.graph.link(parent, g, pos);
        }
    }

    /** {@code key=value}: split at the first '=', both sides stripped, the value through literal_eval (not shlex). */
    private void varLine(Group group, String raw, String line, SourcePos pos) throws InventoryException {
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw new InventoryException(pos + ": expected key=value, got " + Excerpt.quote(line)
                    + " (a [" + Excerpt.plain(group.name) + ":vars] section holds one variable per line)");
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        int valueColumn = raw.indexOf(value, raw.indexOf('=')) + 1;
        data.setGroupVar(group, new Var(key, pos, node(value, new SourcePos(pos.file(), pos.line(), Math.max(1, valueColumn)), key)));
    }

    private void hostLine(Group group, String raw, int lineNo) throws InventoryException {
        List<Shlex.Token> tokens;
        try {
            tokens = Shlex.split(raw);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(new SourcePos(data.file, lineNo, 1) + ": cannot read this host line: "
                    + e.getMessage() + " (close the quote, or escape it with \\)");
        }
        if (tokens.isEmpty()) {
            return;
        }
        Shlex.Token first = tokens.get(0);
        SourcePos hostPos = new SourcePos(data.file, lineNo, first.column());
        if (first.text().strip().equals("---")) {
            throw new InventoryException(hostPos + ": '---' starts a YAML document, but this file is read as INI"
                    + " (fix the YAML error reported for it, or remove the line)");
        }
        List<String> names = YamlInventory.addHosts(data, group, first.text(), hostPos);
        for (Shlex.Token t : tokens.subList(1, tokens.size())) {
            SourcePos pos = new SourcePos(data.file, lineNo, t.column());
            int eq = t.text().indexOf('=');
            if (eq < 0) {
                throw new InventoryException(pos + ": expected key=value after the host name, got " + Excerpt.quote(t.text())
                        + " (host variables are written NAME key=value key2=value2; quote values with spaces)");
            }
            String key = t.text().substring(0, eq);
            YamlNode value = node(t.text().substring(eq + 1), pos, key);
            for (String name : names) {
                data.setHostVar(name, new Var(key, pos, value));
            }
        }
    }

    /** A value as Ansible's _parse_value gives it: literal_eval's result, else the text itself. */
    static YamlNode node(String text, SourcePos pos, String key) throws InventoryException {
        Optional<Object[]> v;
        try {
            v = PythonLiteral.eval(text);
        } catch (PythonLiteral.Unsupported u) {
            throw new InventoryException(pos + ": " + Excerpt.quote(key) + " is " + u.getMessage() + ", which Ansible"
                    + " cannot print or template either (quote the value to keep it as text)");
        }
        if (v.isEmpty()) {
            return new YamlNode.Scalar(pos, text, YamlNode.Scalar.Type.STRING);
        }
        return toNode(v.get()[0], pos);
    }

    private static YamlNode toNode(Object v, SourcePos pos) {
        if (v == null) {
            return new YamlNode.Scalar(pos, "", YamlNode.Scalar.Type.NULL, null);
        }
        if (v instanceof Boolean b) {
            return new YamlNode.Scalar(pos, b.toString(), YamlNode.Scalar.Type.BOOL, b);
        }
        if (v instanceof Double d) {
            return new YamlNode.Scalar(pos, d.toString(), YamlNode.Scalar.Type.FLOAT, d);
        }
        if (v instanceof Number n) {
            return new YamlNode.Scalar(pos, n.toString(), YamlNode.Scalar.Type.INT, n);
        }
        if (v instanceof String s) {
            return new YamlNode.Scalar(pos, s, YamlNode.Scalar.Type.STRING, s);
        }
        if (v instanceof List<?> list) {
            List<YamlNode> items = new ArrayList<>();
            list.forEach(i -> items.add(toNode(i, pos)));
            return new YamlNode.Sequence(pos, items);
        }
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, x) -> entries.put((String) k, new YamlNode.Entry((String) k, pos, toNode(x, pos))));
        return new YamlNode.Mapping(pos, entries);
    }
}
