package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.VarParser.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code group_vars/} and {@code host_vars/} as Ansible's host_group_vars plugin and DataLoader.find_vars_files
 * find them in one directory: for a group or host NAME, the first of {@code NAME} (a file, or a directory
 * whose files merge in name order, recursively, skipping hidden files, backups ending in ~ and files
 * whose extension is not .yml, .yaml or .json), {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json}.
 * Later files override earlier ones key by key. Each file is YAML (or JSON) read with the inventory's
 * rules, so every value keeps its file:line:column.
 */
final class VarsFiles {

    static final List<String> EXTENSIONS = List.of(".yml", ".yaml", ".json");

    private final Path dir;
    private final Warnings warnings;
    private final Map<String, Map<String, Var>> cache = new HashMap<>();

    /** @param dir the directory that holds group_vars/ and host_vars/ (the inventory's, later a playbook's) */
    VarsFiles(Path dir, Warnings warnings) {
        this.dir = dir;
        this.warnings = warnings;
    }

    Path dir() {
        return dir;
    }

    Map<String, Var> group(String name) throws InventoryException {
        return vars("group_vars", name);
    }

    Map<String, Var> host(String name) throws InventoryException {
        return vars("host_vars", name);
    }

    private Map<String, Var> vars(String sub, String name) throws InventoryException {
        String key = sub + "/" + name;
        Map<String, Var> v = cache.get(key);
        if (v == null) {
            v = load(sub, name);
            cache.put(key, v);
        }
        return v;
    }

    private Map<String, Var> load(String sub, String name) throws InventoryException {
        Path base = dir.resolve(sub);
        if (name.startsWith("/") || !Files.isDirectory(base)) {
            return Map.of();
        }
        Map<String, Var> out = new LinkedHashMap<>();
        for (Path file : find(base, name)) {
            YamlNode root = YamlReader.parse(file, readText(file));
            if (root == null || (root instanceof YamlNode.Scalar s && s.isNull())) {
                continue; // Ansible ignores an empty file
            }
            if (!(root instanceof YamlNode.Mapping m)) {
                throw new InventoryException(root.pos() + ": a " + sub + " file must be a mapping of variables, not "
                        + root.kind() + " (write one 'name: value' per line)");
            }
            for (YamlNode.Entry e : m.entries().values()) {
                Var var = new Var(e.key(), e.keyPos(), e.value());
                InventoryData.check(var, warnings);
                out.put(e.key(), var);
            }
        }
        return out;
    }

    /**
     * Warns of each file or directory in group_vars/ (host_vars/) naming no group (host) of the inventory: Ansible
     * ignores it silently, so a misspelt group_vars/mastres.yml would leave the masters without their settings.
     */
    void warnUnused(java.util.Collection<String> groups, java.util.Collection<String> hosts) throws InventoryException {
        warnUnused("group_vars", groups, "group");
        warnUnused("host_vars", hosts, "host");
    }

    private void warnUnused(String sub, java.util.Collection<String> names, String kind) throws InventoryException {
        Path base = dir.resolve(sub);
        if (!Files.isDirectory(base)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(base)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new InventoryException(base + ": cannot list: " + Excerpt.plain(String.valueOf(e.getMessage())));
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            String ext = extension(n);
            if (n.startsWith(".") || n.endsWith("~") || (!ext.isEmpty() && !EXTENSIONS.contains(ext) && !Files.isDirectory(p))) {
                continue;
            }
            String name = EXTENSIONS.contains(ext) && !Files.isDirectory(p) ? n.substring(0, n.length() - ext.length()) : n;
            if (!names.contains(name)) {
                warnings.add(sub + "/" + name, p + ": warning: the inventory has no " + kind + " " + Excerpt.quote(name)
                        + ", so these variables apply to no host"
                        + DidYouMean.nearest(name, names).map(m -> " (did you mean '" + m + "'?)").orElse(""));
            }
        }
    }

    private static String readText(Path file) throws InventoryException {
        String text = SourceText.read(file);
        if (text.startsWith("$ANSIBLE_VAULT")) {
            throw new InventoryException(new SourcePos(file, 1, 1) + ": this file is encrypted with Ansible Vault, which"
                    + " ntpdeploy does not decrypt (secrets do not belong in the inventory: move the vault file out of"
                    + " group_vars/host_vars, and pass passwords through NTPDEPLOY_SSH_PASSWORD / NTPDEPLOY_BECOME_PASSWORD)");
        }
        return text;
    }

    /** The files Ansible reads for NAME, in the order it merges them. */
    static List<Path> find(Path base, String name) throws InventoryException {
        for (String ext : List.of("", ".yml", ".yaml", ".json")) {
            Path p = base.resolve(name + ext);
            if (Files.isDirectory(p)) {
                List<Path> out = new ArrayList<>();
                walk(p, out);
                return out;
            }
            if (Files.exists(p)) {
                return List.of(p);
            }
        }
        return List.of();
    }

    private static void walk(Path dir, List<Path> out) throws InventoryException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new InventoryException(dir + ": cannot list: " + Excerpt.plain(String.valueOf(e.getMessage())));
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue; // hidden files and editor backups
            }
            String ext = extension(n);
            if (Files.isDirectory(p) && ext.isEmpty()) {
                walk(p, out);
            } else if (Files.isRegularFile(p) && (ext.isEmpty() || EXTENSIONS.contains(ext))) {
                out.add(p);
            }
        }
    }

    /** Python's os.path.splitext: the last dot's suffix, unless the dot starts the name. */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot);
    }
}
