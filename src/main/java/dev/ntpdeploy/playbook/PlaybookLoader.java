package dev.ntpdeploy.playbook;

import dev.ntpdeploy.Durations;
import dev.ntpdeploy.inventory.DidYouMean;
import dev.ntpdeploy.inventory.Excerpt;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.SourcePos;
import dev.ntpdeploy.inventory.YamlNode;
import dev.ntpdeploy.inventory.YamlReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a playbook (a YAML list of plays in Ansible's shape) with the inventory's strictness: the same YAML reader
 * (no anchors, aliases, tags or duplicate keys; every value checked for control characters), and every key, module
 * and value checked here, so a playbook that loads runs as written. Every refusal is one line naming
 * file:line:column and the fix, given before any host is contacted.
 */
public final class PlaybookLoader {

    static final List<String> PLAY_KEYS = List.of("name", "hosts", "serial", "max_fail_percentage",
            "any_errors_fatal", "tasks");
    static final List<String> TASK_KEYS = List.of("name", Task.NtpConfig.MODULE, Task.Verify.MODULE, Task.Pause.MODULE);
    static final List<String> VERIFY_KEYS = List.of("wait", "timeout");
    static final List<String> PAUSE_KEYS = List.of("seconds", "minutes");
    static final List<String> MODULES = List.of(Task.NtpConfig.MODULE, Task.Verify.MODULE, Task.Pause.MODULE);

    /** Ansible play keys an operator may reach for that ntpdeploy does not do: named as such, not as typos. */
    private static final Set<String> ANSIBLE_PLAY_KEYS = Set.of("roles", "vars", "vars_files", "vars_prompt", "become",
            "become_user", "become_method", "gather_facts", "pre_tasks", "post_tasks", "handlers", "strategy", "order",
            "import_playbook", "include_playbook", "connection", "remote_user", "environment", "tags", "throttle",
            "check_mode", "diff", "ignore_errors", "ignore_unreachable", "collections", "module_defaults", "port",
            "force_handlers", "run_once", "debugger", "fact_path", "gather_subset", "gather_timeout", "when");

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})%");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern FAIL_PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,6})?)%?");

    private PlaybookLoader() {
    }

    /** @throws PlaybookException anything unreadable, unknown or invalid, naming file:line:column */
    public static Playbook load(Path file) throws PlaybookException {
        YamlNode root;
        try {
            root = YamlReader.readDocument(file);
        } catch (InventoryException e) {
            throw new PlaybookException(e.getMessage());
        }
        if (root == null) {
            throw new PlaybookException(new SourcePos(file, 1, 1) + ": the playbook is empty (write a list of plays,"
                    + " each starting with '- name:' and 'hosts:'; see playbooks/site.yml)");
        }
        if (!(root instanceof YamlNode.Sequence plays)) {
            throw new PlaybookException(root.pos() + ": a playbook is a list of plays, not " + root.kind()
                    + " (start each play with '- name:' or '- hosts:'; see playbooks/site.yml)");
        }
        if (plays.items().isEmpty()) {
            throw new PlaybookException(root.pos() + ": the playbook has no play (write at least one '- hosts: ...')");
        }
        List<Play> out = new ArrayList<>();
        for (YamlNode p : plays.items()) {
            out.add(play(p));
        }
        return new Playbook(file, out);
    }

    private static Play play(YamlNode node) throws PlaybookException {
        YamlNode.Mapping m = mapping(node, "a play", "write '- name: ...' with 'hosts:' and 'tasks:' under it");
        checkKeys(m, PLAY_KEYS, "play key", ANSIBLE_PLAY_KEYS);
        String name = m.entries().containsKey("name") ? text(m.entries().get("name"), "a play's name") : "";
        YamlNode.Entry hostsEntry = m.entries().get("hosts");
        if (hostsEntry == null) {
            throw new PlaybookException(m.pos() + ": play " + label(name) + "has no 'hosts:' (add e.g. 'hosts: clients',"
                    + " an Ansible host pattern)");
        }
        String hosts = hostPattern(hostsEntry);
        List<BatchSize> serial = m.entries().containsKey("serial") ? serial(m.entries().get("serial")) : List.of();
        OptionalDouble maxFail = m.entries().containsKey("max_fail_percentage")
                ? OptionalDouble.of(failPercentage(m.entries().get("max_fail_percentage"))) : OptionalDouble.empty();
        boolean fatal = m.entries().containsKey("any_errors_fatal")
                && bool(m.entries().get("any_errors_fatal").value(), "'any_errors_fatal'");
        YamlNode.Entry tasksEntry = m.entries().get("tasks");
        if (tasksEntry == null) {
            throw new PlaybookException(m.pos() + ": play " + label(name) + "has no 'tasks:' (add e.g."
                    + " '- ntp_config: {}' and '- verify: {wait: true, timeout: 5m}')");
        }
        if (!(tasksEntry.value() instanceof YamlNode.Sequence tasks) || tasks.items().isEmpty()) {
            throw new PlaybookException(tasksEntry.value().pos() + ": 'tasks' is " + tasksEntry.value().kind()
                    + "; write a list of tasks, e.g. '- ntp_config: {}'");
        }
        List<Task> out = new ArrayList<>();
        for (YamlNode t : tasks.items()) {
            out.add(task(t));
        }
        return new Play(name, m.pos(), hosts, hostsEntry.value().pos(), serial, maxFail, fatal, out);
    }

    private static String label(String name) {
        return name.isEmpty() ? "" : Excerpt.quote(name) + " ";
    }

    /** A pattern, or a list of them (Ansible joins a list with ','). */
    private static String hostPattern(YamlNode.Entry e) throws PlaybookException {
        List<String> parts = new ArrayList<>();
        if (e.value() instanceof YamlNode.Sequence s) {
            for (YamlNode item : s.items()) {
                parts.add(patternText(item));
            }
        } else {
            parts.add(patternText(e.value()));
        }
        if (parts.isEmpty()) {
            throw new PlaybookException(e.value().pos() + ": 'hosts' is an empty list (write a host pattern, e.g. 'clients')");
        }
        return String.join(",", parts);
    }

    private static String patternText(YamlNode v) throws PlaybookException {
        if (v instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.STRING && !s.text().isBlank()) {
            return s.text().strip();
        }
        throw new PlaybookException(v.pos() + ": 'hosts' is " + v.kind() + "; write a host pattern such as 'masters',"
                + " 'clients:!c3' or 'all'");
    }

    /** Ansible's serial: a number, a percentage "N%", or a list of them; 0 means every (remaining) host. */
    static List<BatchSize> serial(YamlNode.Entry e) throws PlaybookException {
        if (e.value() instanceof YamlNode.Sequence s) {
            if (s.items().isEmpty()) {
                throw new PlaybookException(s.pos() + ": 'serial' is an empty list (write e.g. 'serial: [1, 10%, 50%]',"
                        + " or remove it for one batch of every host)");
            }
            List<BatchSize> out = new ArrayList<>();
            for (YamlNode item : s.items()) {
                out.add(batchSize(item));
            }
            return out;
        }
        return List.of(batchSize(e.value()));
    }

    private static BatchSize batchSize(YamlNode v) throws PlaybookException {
        if (v instanceof YamlNode.Scalar s) {
            if (s.type() == YamlNode.Scalar.Type.INT) {
                if (s.value() instanceof Long n && n >= 0 && n <= 999_999_999L) {
                    return BatchSize.hosts(n);
                }
                if (!(s.value() instanceof BigInteger) && s.value() instanceof Long n && n < 0) {
                    throw badSerial(s, "a negative batch size");
                }
                throw badSerial(s, "a batch size out of range");
            }
            if (s.type() == YamlNode.Scalar.Type.STRING) {
                String t = s.text().strip();
                Matcher pct = PERCENT.matcher(t);
                if (pct.matches()) {
                    return BatchSize.percent(Long.parseLong(pct.group(1)));
                }
                if (NUMBER.matcher(t).matches()) {
                    return BatchSize.hosts(Long.parseLong(t));
                }
            }
        }
        throw badSerial(v, v.kind());
    }

    private static PlaybookException badSerial(YamlNode v, String what) {
        String shown = v instanceof YamlNode.Scalar s ? Excerpt.quote(s.text()) + ", " : "";
        return new PlaybookException(v.pos() + ": invalid 'serial' " + shown + what + ": write a number of hosts (1),"
                + " a percentage of the play's hosts ('20%'), or a list of them ([1, '10%', '50%'])");
    }

    /** Ansible's 'percent' field: a number, optionally written with '%', here from 0 to 100. */
    private static double failPercentage(YamlNode.Entry e) throws PlaybookException {
        YamlNode v = e.value();
        if (v instanceof YamlNode.Scalar s && s.type() != YamlNode.Scalar.Type.BOOL
                && s.type() != YamlNode.Scalar.Type.NULL) {
            Matcher m = FAIL_PERCENT.matcher(s.text().strip());
            if (m.matches()) {
                double d = Double.parseDouble(m.group(1));
                if (d <= 100) {
                    return d;
                }
            }
        }
        throw new PlaybookException(v.pos() + ": invalid 'max_fail_percentage' "
                + (v instanceof YamlNode.Scalar s ? Excerpt.quote(s.text()) : v.kind())
                + ": write a percentage from 0 to 100 (e.g. 10: the play stops when more than 10% of a batch fails)");
    }

    private static Task task(YamlNode node) throws PlaybookException {
        YamlNode.Mapping m = mapping(node, "a task", "write '- ntp_config: {}' or '- verify: {wait: true, timeout: 5m}'");
        checkKeys(m, TASK_KEYS, "module", Set.of());
        String name = m.entries().containsKey("name") ? text(m.entries().get("name"), "a task's name") : "";
        List<YamlNode.Entry> modules = m.entries().values().stream().filter(e -> MODULES.contains(e.key())).toList();
        if (modules.size() != 1) {
            SourcePos at = modules.isEmpty() ? m.pos() : modules.get(1).keyPos();
            throw new PlaybookException(at + ": a task runs exactly one module (" + String.join(", ", MODULES)
                    + "); this one has " + modules.size() + ": split it into tasks");
        }
        YamlNode.Entry module = modules.get(0);
        return switch (module.key()) {
            case Task.NtpConfig.MODULE -> ntpConfig(module, name);
            case Task.Pause.MODULE -> pause(module, name);
            default -> verify(module, name);
        };
    }

    private static Task ntpConfig(YamlNode.Entry e, String name) throws PlaybookException {
        YamlNode v = e.value();
        boolean empty = v instanceof YamlNode.Scalar s && s.isNull()
                || v instanceof YamlNode.Mapping m && m.entries().isEmpty();
        if (!empty) {
            SourcePos at = v instanceof YamlNode.Mapping m ? m.entries().values().iterator().next().keyPos() : v.pos();
            throw new PlaybookException(at + ": 'ntp_config' takes no options (write 'ntp_config: {}'; what it"
                    + " writes comes from the inventory and the templates)");
        }
        return new Task.NtpConfig(name.isEmpty() ? Task.NtpConfig.MODULE : name, e.keyPos());
    }

    private static Task verify(YamlNode.Entry e, String name) throws PlaybookException {
        YamlNode v = e.value();
        boolean wait = true;
        Duration timeout = Task.Verify.DEFAULT_TIMEOUT;
        if (v instanceof YamlNode.Mapping m) {
            checkKeys(m, VERIFY_KEYS, "'verify' option", Set.of());
            if (m.entries().containsKey("wait")) {
                wait = bool(m.entries().get("wait").value(), "'wait'");
            }
            if (m.entries().containsKey("timeout")) {
                timeout = duration(m.entries().get("timeout").value());
            }
        } else if (!(v instanceof YamlNode.Scalar s && s.isNull())) {
            throw new PlaybookException(v.pos() + ": 'verify' takes a mapping, not " + v.kind()
                    + " (write 'verify: {wait: true, timeout: 5m}')");
        }
        return new Task.Verify(name.isEmpty() ? Task.Verify.MODULE : name, e.keyPos(), wait, timeout);
    }

    /** Ansible's pause: exactly one of {@code seconds} and {@code minutes}, a whole number; no prompt. */
    private static Task pause(YamlNode.Entry e, String name) throws PlaybookException {
        YamlNode v = e.value();
        if (!(v instanceof YamlNode.Mapping m) || m.entries().size() != 1) {
            SourcePos at = v instanceof YamlNode.Mapping m && m.entries().size() > 1
                    ? m.entries().values().stream().skip(1).findFirst().orElseThrow().keyPos() : v.pos();
            throw new PlaybookException(at + ": 'pause' takes one of seconds or minutes (write 'pause: {minutes: 10}';"
                    + " there is no prompt: nothing waits for a keyboard)");
        }
        checkKeys(m, PAUSE_KEYS, "'pause' option", Set.of("prompt", "echo"));
        YamlNode.Entry only = m.entries().values().iterator().next();
        if (only.value() instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.INT
                && s.value() instanceof Long n && n > 0 && n <= 86_400) {
            Duration d = only.key().equals("minutes") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
            return new Task.Pause(name.isEmpty() ? Task.Pause.MODULE : name, e.keyPos(), d);
        }
        throw new PlaybookException(only.value().pos() + ": '" + only.key() + "' is " + only.value().kind()
                + "; write a whole number from 1 to 86400");
    }

    private static Duration duration(YamlNode v) throws PlaybookException {
        if (v instanceof YamlNode.Scalar s && (s.type() == YamlNode.Scalar.Type.INT
                || s.type() == YamlNode.Scalar.Type.STRING)) {
            try {
                return Durations.parsePositive(s.text());
            } catch (IllegalArgumentException ex) {
                throw new PlaybookException(v.pos() + ": 'timeout': " + ex.getMessage());
            }
        }
        throw new PlaybookException(v.pos() + ": 'timeout' is " + v.kind() + "; write a duration (" + Durations.FORMS + ")");
    }

    private static YamlNode.Mapping mapping(YamlNode node, String what, String fix) throws PlaybookException {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        throw new PlaybookException(node.pos() + ": " + what + " is a mapping, not " + node.kind() + " (" + fix + ")");
    }

    private static void checkKeys(YamlNode.Mapping m, List<String> known, String what, Set<String> unsupported)
            throws PlaybookException {
        for (Map.Entry<String, YamlNode.Entry> k : m.entries().entrySet()) {
            String key = k.getKey();
            if (known.contains(key)) {
                continue;
            }
            SourcePos at = k.getValue().keyPos();
            if (unsupported.contains(key)) {
                throw new PlaybookException(at + ": " + Excerpt.quote(key) + " is not supported in ntpdeploy playbooks"
                        + " (a play takes: " + String.join(", ", known) + ")");
            }
            String hint = DidYouMean.nearest(key, known).map(s -> "did you mean " + Excerpt.quote(s) + "? ").orElse("");
            String modules = what.equals("module") ? "; ntpdeploy runs only its own modules, nothing arbitrary" : "";
            throw new PlaybookException(at + ": unknown " + what + " " + Excerpt.quote(key) + " (" + hint
                    + "expected: " + String.join(", ", known) + modules + ")");
        }
    }

    private static String text(YamlNode.Entry e, String what) throws PlaybookException {
        if (e.value() instanceof YamlNode.Scalar s && !s.isNull() && s.type() != YamlNode.Scalar.Type.BOOL) {
            return s.text().strip();
        }
        throw new PlaybookException(e.value().pos() + ": " + what + " is " + e.value().kind() + "; write some text");
    }

    private static boolean bool(YamlNode v, String what) throws PlaybookException {
        if (v instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOL) {
            return (Boolean) s.value();
        }
        throw new PlaybookException(v.pos() + ": " + what + " is " + v.kind() + "; write true or false");
    }
}
