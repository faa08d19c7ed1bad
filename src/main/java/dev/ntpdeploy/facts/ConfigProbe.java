package dev.ntpdeploy.facts;

import dev.ntpdeploy.Sha256;
import dev.ntpdeploy.transport.RemoteCommand;
import dev.ntpdeploy.inventory.Flavor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The fact apply plans from: ONE privileged shell command per host that reports the ntpd flavor,
 * whether this host's ntpd runs, the service manager, and every candidate config file's exact bytes,
 * mode and owner; plus the pure parser of its output.
 *
 * <p>Output is {@code KEY=value} lines; file contents travel as base64 so bytes compare exactly.
 * The shell only reports, Java decides (flavor, path, service), so the decisions are unit-tested.
 */
public final class ConfigProbe {

    /** Paths a flavor's config may live at; an ntp_conf_path override is probed as well. */
    static final List<String> CANDIDATE_PATHS = java.util.Arrays.stream(Flavor.values()).map(Flavor::confPath).toList();

    private ConfigProbe() {
    }

    /**
     * The command to run (privileged: process names and unreadable configs need root).
     *
     * @param stateDir where change units leave their reports on the host (ChangeUnit.Places)
     */
    public static String command(Optional<String> confPathOverride, String stateDir) {
        Set<String> paths = new LinkedHashSet<>();
        confPathOverride.ifPresent(paths::add);
        paths.addAll(CANDIDATE_PATHS);
        StringBuilder files = new StringBuilder();
        for (String p : paths) {
            files.append(' ').append(RemoteCommand.quote(p));
        }
        return Shell.PATH_PREFIX + Shell.myNtpdFunction() + """
                echo "PROBE=1"
                if command -v ntpd >/dev/null 2>&1; then
                  v=$(ntpd --version 2>&1); nl='
                '; echo "NTPD_VERSION=${v%%%%"$nl"*}"
                fi
                command -v chronyd >/dev/null 2>&1 && echo "CHRONYD=1"
                echo "NOW=$(date +%%s)"
                pid=$(my_ntpd)
                if [ -n "$pid" ]; then
                  echo "NTPD_PID=$pid"
                  echo "NTPD_ARGS=$(tr '\\000' ' ' < /proc/$pid/cmdline 2>/dev/null)"
                  echo "NTPD_AGE=$(ps -o etimes= -p "$pid" 2>/dev/null)"
                fi
                if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo "SVCMGR=systemd"
                elif command -v service >/dev/null 2>&1; then echo "SVCMGR=service"
                elif [ -d /etc/init.d ]; then echo "SVCMGR=init.d"
                else echo "SVCMGR=none"; fi
                for s in ntpsec ntp ntpd; do
                  for d in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
                    [ -e "$d/$s.service" ] && { echo "SERVICE=$s"; break; }
                  done
                  [ -x "/etc/init.d/$s" ] && echo "SERVICE=$s"
                done
                [ -r /etc/os-release ] && (. /etc/os-release; echo "OS=$ID $ID_LIKE")
                for f in%s; do
                  echo "FILE=$f"
                  if [ -f "$f" ]; then
                    echo "STAT=$(stat -c '%%a %%U %%G' "$f")"
                    echo "MTIME=$(stat -c '%%Y' "$f")"
                    echo "B64=$(base64 -w 0 < "$f")"
                  else
                    echo "ABSENT=1"
                  fi
                done
                # reports of change units whose controller went away (see ChangeUnit): the host finished them alone
                for f in %s/*.done; do
                  [ -f "$f" ] && echo "LEFTOVER=${f##*/} $(base64 -w 0 < "$f")"
                done
                echo "END=1"
                """.formatted(files, RemoteCommand.quote(stateDir));
    }

    /**
     * Parses the probe's stdout.
     *
     * @throws IllegalArgumentException when the output is not a complete probe (the message says what is wrong)
     */
    public static ProbeFacts parse(String stdout) {
        Optional<String> version = Optional.empty();
        boolean chronyd = false;
        OptionalLong pid = OptionalLong.empty();
        String args = "";
        ServiceManager mgr = ServiceManager.NONE;
        Set<String> services = new HashSet<>();
        List<String> os = new ArrayList<>();
        Map<String, RemoteFile> files = new LinkedHashMap<>();
        OptionalLong now = OptionalLong.empty();
        OptionalLong ntpdAge = OptionalLong.empty();
        Map<String, Long> mtimes = new LinkedHashMap<>();
        Map<String, String> leftovers = new LinkedHashMap<>();
        boolean begun = false;
        boolean ended = false;
        String path = null;
        String[] stat = null;
        for (Map.Entry<String, String> kv : KeyValueLines.parse(stdout)) {
            String value = kv.getValue().strip();
            switch (kv.getKey()) {
                case "PROBE" -> begun = true;
                case "NTPD_VERSION" -> version = value.isEmpty() ? Optional.empty() : Optional.of(value);
                case "CHRONYD" -> chronyd = true;
                case "NTPD_PID" -> pid = OptionalLong.of(KeyValueLines.number(value, Long.MAX_VALUE,
                        "probe output: NTPD_PID", "a process id"));
                case "NTPD_ARGS" -> args = value;
                case "NOW" -> now = number(value);
                case "NTPD_AGE" -> ntpdAge = number(value);
                case "MTIME" -> {
                    OptionalLong m = number(value);
                    if (m.isPresent()) {
                        mtimes.put(requirePath(path), m.getAsLong());
                    }
                }
                case "LEFTOVER" -> leftover(value, leftovers);
                case "SVCMGR" -> mgr = ServiceManager.fromWord(value);
                case "SERVICE" -> services.add(value);
                case "OS" -> {
                    for (String id : value.toLowerCase(Locale.ROOT).split("\\s+")) {
                        if (!id.isEmpty()) {
                            os.add(id.replace("\"", ""));
                        }
                    }
                }
                case "FILE" -> {
                    path = value;
                    stat = null;
                }
                case "ABSENT" -> files.put(requirePath(path), RemoteFile.absent(path));
                case "STAT" -> stat = value.split(" ");
                case "B64" -> {
                    if (stat == null || stat.length != 3) {
                        throw new IllegalArgumentException("probe output: no mode/owner for " + path);
                    }
                    byte[] content;
                    try {
                        content = Base64.getDecoder().decode(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("probe output: the content of " + path + " is not base64 ("
                                + e.getMessage() + ")");
                    }
                    // hashed here, not by the host: one program less per file on every probe
                    files.put(requirePath(path), new RemoteFile(path, true, stat[0], stat[1], stat[2], Sha256.hex(content),
                            content));
                }
                case "END" -> ended = true;
                default -> {
                    // unknown keys are ignored: newer probes may report more
                }
            }
        }
        if (!begun || !ended) {
            throw new IllegalArgumentException("probe output incomplete (" + (begun ? "no END line" : "no PROBE line")
                    + "): the host's shell did not run the probe to the end");
        }
        Map<String, Long> ages = new LinkedHashMap<>();
        if (now.isPresent()) {
            long n = now.getAsLong();
            mtimes.forEach((p, m) -> ages.put(p, n - m));
        }
        return new ProbeFacts(version, chronyd, pid, args, mgr, services, os, files, ntpdAge, ages, leftovers);
    }

    private static OptionalLong number(String value) {
        return value.matches("-?\\d{1,18}") ? OptionalLong.of(Long.parseLong(value)) : OptionalLong.empty();
    }

    /** "NAME BASE64": a change unit's report file; one that does not decode is kept as what it says. */
    private static void leftover(String value, Map<String, String> out) {
        int sp = value.indexOf(' ');
        String name = sp < 0 ? value : value.substring(0, sp);
        if (!name.matches("[0-9a-f]{12}\\.done")) {
            return; // not one of ours: never named in a later rm
        }
        try {
            out.put(name, new String(Base64.getDecoder().decode(sp < 0 ? "" : value.substring(sp + 1)),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            out.put(name, "");
        }
    }

    private static String requirePath(String path) {
        if (path == null) {
            throw new IllegalArgumentException("probe output: file data before any FILE line");
        }
        return path;
    }
}
