package dev.ntpdeploy.facts;

import dev.ntpdeploy.Sha256;
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
 * The fact apply plans from (and verify's for {@code ntp_flavor: auto}): ONE privileged exec of
 * {@code remote/config-probe.sh} per host that reports the ntpd flavor, whether this host's ntpd runs, the service
 * manager, every candidate config file's exact bytes, mode, owner and age, and change units' leftover reports.
 * File contents travel as base64 so bytes compare exactly. The script only reports, Java decides (flavor, path,
 * service), so the decisions are unit-tested.
 *
 * @param confPathOverride the inventory's ntp_conf_path, probed besides every flavor's own path
 * @param stateDir         where change units leave their reports on the host (ChangeUnit.Places)
 * @param readFiles        whether the candidate config files are read (apply plans from them); verify's
 *                         {@link #identity} does without: two programs (stat, base64) less per file present
 */
public record ConfigProbe(Optional<String> confPathOverride, String stateDir, boolean readFiles)
        implements Fact<ProbeFacts> {

    /** Apply's probe: the identity and every candidate config file. */
    public ConfigProbe(Optional<String> confPathOverride, String stateDir) {
        this(confPathOverride, stateDir, true);
    }

    /**
     * Verify's probe of a host whose flavor the inventory leaves to detection: the identity only (flavor, daemons,
     * service, OS), no config file read: verify hashes the one file the resolved daemon reads in its own probe.
     */
    public static ConfigProbe identity(String stateDir) {
        return new ConfigProbe(Optional.empty(), stateDir, false);
    }

    /** Paths a flavor's config may live at; an ntp_conf_path override is probed as well. */
    static final List<String> CANDIDATE_PATHS = java.util.Arrays.stream(Flavor.values())
            .flatMap(f -> f.confPaths().stream()).distinct().toList();
    static final RemoteScript SCRIPT = RemoteScript.of("config-probe.sh");

    @Override
    public RemoteScript script() {
        return SCRIPT;
    }

    /** The state directory, then every candidate path once (none for {@link #identity}). */
    @Override
    public List<String> arguments() {
        if (!readFiles) {
            return List.of(stateDir);
        }
        Set<String> paths = new LinkedHashSet<>();
        confPathOverride.ifPresent(paths::add);
        paths.addAll(CANDIDATE_PATHS);
        List<String> args = new ArrayList<>();
        args.add(stateDir);
        args.addAll(paths);
        return args;
    }

    @Override
    public ProbeFacts process(ScriptOutput output) {
        return read(output);
    }

    /** {@link #process} of a captured text (the parser does not depend on the arguments). */
    public static ProbeFacts parse(String stdout) {
        return read(ScriptOutput.parse(stdout));
    }

    /**
     * Reads the probe's sections.
     *
     * @throws IllegalArgumentException when the output is not a complete probe (the message says what is wrong)
     */
    static ProbeFacts read(ScriptOutput out) {
        if (!out.has("probe") || !out.complete()) {
            throw new IllegalArgumentException("probe output incomplete (" + (out.has("probe") ? "no end section"
                    : "no probe section") + "): the host's shell did not run the probe to the end");
        }
        Optional<String> version = out.value("ntpd_version");
        OptionalLong pid = out.value("ntpd_pid").map(v -> OptionalLong.of(ScriptOutput.number(v, Long.MAX_VALUE,
                "probe output: ntpd_pid", "a process id"))).orElse(OptionalLong.empty());
        String args = out.value("ntpd_args").orElse("");
        ServiceManager mgr = out.value("svcmgr").map(ServiceManager::fromWord).orElse(ServiceManager.NONE);
        Set<String> services = new HashSet<>();
        out.all("service").forEach(s -> s.value().ifPresent(services::add));
        List<String> os = new ArrayList<>();
        for (String id : out.value("os").orElse("").toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!id.isEmpty()) {
                os.add(id.replace("\"", ""));
            }
        }
        OptionalLong now = number(out.value("now").orElse(""));
        Map<String, RemoteFile> files = new LinkedHashMap<>();
        Map<String, Long> ages = new LinkedHashMap<>();
        for (ScriptOutput.Section f : out.all("file")) {
            String path = f.line(0);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("probe output: a file section without its path");
            }
            String[] stat = f.line(1).strip().split(" ");
            if (stat.length == 1 && stat[0].equals("absent")) {
                files.put(path, RemoteFile.absent(path));
                continue;
            }
            if (stat.length != 4) {
                throw new IllegalArgumentException("probe output: no mode/owner for " + path);
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(f.line(2).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("probe output: the content of " + path + " is not base64 ("
                        + e.getMessage() + ")");
            }
            // hashed here, not by the host: one program less per file on every probe
            files.put(path, new RemoteFile(path, true, stat[0], stat[1], stat[2], Sha256.hex(content), content));
            OptionalLong mtime = number(stat[3]);
            if (now.isPresent() && mtime.isPresent()) {
                ages.put(path, now.getAsLong() - mtime.getAsLong());
            }
        }
        OptionalLong chronydPid = out.value("chronyd_pid").map(v -> OptionalLong.of(ScriptOutput.number(v,
                Long.MAX_VALUE, "probe output: chronyd_pid", "a process id"))).orElse(OptionalLong.empty());
        Map<String, String> leftovers = new LinkedHashMap<>();
        out.all("leftover").forEach(l -> leftover(l.line(0).strip(), l.line(1).strip(), leftovers));
        return new ProbeFacts(version, out.has("chronyd"), pid, args, mgr, services, os, files,
                number(out.value("ntpd_age").orElse("")), ages, leftovers, TimeDaemons.read(out), chronydPid,
                number(out.value("chronyd_age").orElse("")));
    }

    private static OptionalLong number(String value) {
        return value.matches("-?\\d{1,18}") ? OptionalLong.of(Long.parseLong(value)) : OptionalLong.empty();
    }

    /** A change unit's report file and its content; one that does not decode is kept as what it says. */
    private static void leftover(String name, String base64, Map<String, String> out) {
        if (!name.matches("[0-9a-f]{12}\\.done")) {
            return; // not one of ours: never named in a later rm
        }
        try {
            out.put(name, new String(Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            out.put(name, "");
        }
    }
}
