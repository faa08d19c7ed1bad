package dev.ntpdeploy;

import static dev.ntpdeploy.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.HostResult;
import dev.ntpdeploy.engine.HostStatus;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The exit codes: one table, the one mapping, and what --help and the README say about them. */
class ExitTest {

    @Test
    void helpListsEveryCodeWithItsMeaning() {
        CliRun help = run("--help");
        String text = help.out().replaceAll("\\s+", " ");
        for (Map.Entry<String, String> e : Exit.list().entrySet()) {
            assertTrue(text.contains(e.getKey() + " " + e.getValue()), e + " missing from --help:\n" + help.out());
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "65", "70"), List.copyOf(Exit.list().keySet()));
    }

    @Test
    void readmeTableIsTheEnumsTable() throws IOException {
        String table = tableAfter(Path.of("README.md"), "## Exit codes").replace("`", "");
        assertEquals(Exit.markdownTable(), table, "README's exit codes must be regenerated from Exit.markdownTable()");
    }

    /** The first markdown table after the heading, as its lines joined with "\n". */
    static String tableAfter(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int i = lines.indexOf(heading);
        assertTrue(i >= 0, file + " has no '" + heading + "'");
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        List<String> rows = new ArrayList<>();
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return String.join("\n", rows) + "\n";
    }

    @Test
    void verifysStatusesAreTheMonitoringPluginCodes() {
        assertEquals(List.of(0, 1, 3, 2), Stream.of(Status.values()).map(s -> Exit.of(s).code()).toList());
    }

    /**
     * Apply's exit code agrees with the status its closing verification printed (#13 item 7): a CRITICAL finding on a
     * host that is in sync (the status line says CRITICAL) is exit 5, not 0; an UNKNOWN one too; a WARNING on a
     * fleet in sync stays 0 (it is advice: the apply did what it was asked), and a host not in sync is 5 whatever
     * the status.
     */
    @Test
    void applyExitsNotInSyncWhenItsClosingVerificationIsCriticalOrUnknown() {
        Finding critical = new Finding("OFFSET_CRITICAL", Severity.CRITICAL, "m", "f", List.of());
        Finding warning = new Finding("PEER_LOSSY", Severity.WARNING, "m", "f", List.of());
        HostVerdict master = new HostVerdict("m1", Role.MASTER, Verdict.SERVING, "LOCAL(0)", 11, 0.0, 0.0, 377,
                List.of(), false);
        HostVerdict syncedButCritical = new HostVerdict("c1", Role.CLIENT, Verdict.SYNCED, "m1", 12, 200.0, 0.1, 377,
                List.of(critical), false);
        HostVerdict syncedButUnknown = new HostVerdict("c1", Role.CLIENT, Verdict.SYNCED, "m1", 12, 0.1, 0.1, 377,
                List.of(), true);
        HostVerdict syncedWithWarning = new HostVerdict("c1", Role.CLIENT, Verdict.SYNCED, "m1", 12, 0.1, 0.1, 357,
                List.of(warning), false);
        HostVerdict syncing = new HostVerdict("c1", Role.CLIENT, Verdict.SYNCING, null, 16, null, null, 1,
                List.of(), false);
        assertEquals(Exit.NOT_IN_SYNC, applied(master, syncedButCritical));
        assertEquals(Exit.NOT_IN_SYNC, applied(master, syncedButUnknown));
        assertEquals(Exit.NOT_IN_SYNC, applied(master, syncing));
        assertEquals(Exit.OK, applied(master, syncedWithWarning));
        assertEquals(Exit.OK, applied(master));
    }

    private static Exit applied(HostVerdict... hosts) {
        List<HostResult> results = Stream.of(hosts).map(h -> new HostResult(h.host(), h.role(),
                HostStatus.CHANGED, "applied", null)).toList();
        VerifyResult verified = new VerifyResult(List.of(hosts), Stream.of(hosts).map(HostVerdict::status)
                .reduce(Status.OK, Status::worst));
        return Exit.of(new ApplyOutcome(results, false, false, Optional.of(verified)), false);
    }

    @Test
    void exceptionsMapInOnePlaceAndAMonitoringCheckSaysUnknown() {
        Object command = new Object();
        Object check = new Exit.MonitoringCheck() { };
        CommandLine.ParameterException usage = new CommandLine.ParameterException(new CommandLine(new Main()), "x");
        assertEquals(Exit.USAGE, Exit.of(usage, command));
        assertEquals(Exit.UNKNOWN, Exit.of(usage, check));
        for (Exception invalid : List.of(new InventoryException("x"), new RenderException("x"),
                new TransportException("x"), new ExitException(Exit.INVALID_INPUT, "x"))) {
            assertEquals(Exit.INVALID_INPUT, Exit.of(invalid, command), invalid.toString());
            assertEquals(Exit.UNKNOWN, Exit.of(invalid, check), invalid.toString());
        }
        assertEquals(Exit.HOSTS_FAILED, Exit.of(new ExitException(Exit.HOSTS_FAILED, "x"), check));
        assertEquals(Exit.INTERNAL, Exit.of(new IllegalStateException("bug"), check));
    }

    @Test
    void verifysUsageErrorsAreUnknownWhileOtherCommandsSayUsage() {
        for (String[] args : new String[][] {
                {"verify"},
                {"verify", "inventories/example.yml", "--bogus"},
                {"verify", "inventories/example.yml", "--sync-timeout", "soon"},
                {"verify", "inventories/example.yml", "--forks", "0"},
                {"verify", "inventories/example.yml", "extra-argument"}}) {
            CliRun r = run(args);
            assertEquals(Exit.UNKNOWN.code(), r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("ntpdeploy verify: ") && r.err().contains("--help"), r.err());
        }
        for (String[] args : new String[][] {
                {"apply", "inventories/example.yml", "--bogus"},
                {"apply", "inventories/example.yml", "--forks", "0"},
                {"watch", "inventories/example.yml", "--every", "soon"}}) {
            assertEquals(Exit.USAGE.code(), run(args).code(), String.join(" ", args));
        }
    }

    @Test
    void commandsWriteThroughPicocliWritersNeverSystemOut() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("System.out") || s.contains("System.err::") || s.contains("System.err.");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
            assertEquals(List.of(), offenders, "use spec.commandLine().getOut()/getErr() (tests and the jar's caller"
                    + " set them)");
        }
    }
}
