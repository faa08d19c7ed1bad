package dev.ntpdeploy.lab;

import dev.ntpdeploy.transport.ExecResult;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit 5 extension that brings the lab up once per test JVM and injects it as a {@link Lab} parameter.
 *
 * <pre>{@code
 * @ExtendWith(LabExtension.class)
 * class ApplyIT {
 *     @Test void pushesConfig(Lab lab) { ... lab.inventory() ... lab.ssh(lab.master(), "ntpq -pn") ... }
 * }
 * }</pre>
 *
 * <p>On first use it runs {@code lab/fleet up N} (N = system property {@code ntpdeploy.lab.hosts} or
 * environment {@code NTPDEPLOY_LAB_HOSTS}, default 5; {@code LAB_ID} from the environment selects which lab)
 * and registers {@code lab/fleet down} for the end of the run, unless {@code NTPDEPLOY_LAB_KEEP=1} (then the
 * lab stays up for inspection). Where the machine cannot host the lab (not Linux, not root, no iproute2)
 * every test asking for it fails with the reason and how to run the ITs: never a silent skip.
 */
public final class LabExtension implements ParameterResolver, TestExecutionExceptionHandler {

    /** How much of each host's ntpd log a failed test prints. */
    static final int FAILURE_LOG_LINES = 20;

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);
    private static final Duration PREREQS_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Started started = ec.getRoot().getStore(NS).getOrComputeIfAbsent(Started.class, k -> start(), Started.class);
        if (started.failure != null) {
            throw new ParameterResolutionException(started.failure);
        }
        return started.lab;
    }

    /**
     * A failed test prints the lab's state (fleet status, each host's peers and ntpd's last log lines) before
     * anything cleans up after it, so the failure can be understood from the CI log alone; then fails as it was.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable failure) throws Throwable {
        Started started = ec.getRoot().getStore(NS).get(Started.class, Started.class);
        if (started != null && started.lab != null) {
            String report;
            try {
                report = started.lab.stateReport(FAILURE_LOG_LINES);
            } catch (RuntimeException e) {
                report = "(cannot collect the lab's state: " + e + ")";
            }
            System.out.println("==== " + ec.getDisplayName() + " failed (" + failure.getClass().getSimpleName()
                    + "); lab state now:\n" + report + "==== end of lab state");
            System.out.flush();
        }
        throw failure;
    }

    /** Root-store value: closed by JUnit when the whole run ends, which tears the lab down. */
    static final class Started implements AutoCloseable {
        final Lab lab;
        final String failure;
        final Path projectDir;
        final String labId;

        Started(Lab lab, String failure, Path projectDir, String labId) {
            this.lab = lab;
            this.failure = failure;
            this.projectDir = projectDir;
            this.labId = labId;
        }

        @Override
        public void close() {
            if (lab == null || "1".equals(System.getenv("NTPDEPLOY_LAB_KEEP"))) {
                return;
            }
            ExecResult r = Lab.runProcess(command(projectDir, labId, "down"), DOWN_TIMEOUT);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("lab/fleet down failed (exit " + r.exitCode() + "):\n" + r.stderr());
            }
        }
    }

    private static Started start() {
        Path projectDir = Path.of(System.getProperty("ntpdeploy.projectDir", System.getProperty("user.dir")));
        String labId = System.getenv().getOrDefault("LAB_ID", "");
        String why = cannotHostLab(projectDir);
        if (why != null) {
            return new Started(null, "The lab integration tests cannot run here: " + why + ". They need Linux"
                    + " and root: run `mvn -B verify` as root (it installs the lab prerequisites itself; through sudo,"
                    + " keep your LAB_ID: `sudo --preserve-env=LAB_ID mvn -B verify`) or `bash .ci/run`;"
                    + " `mvn -B test` runs the unit tests only.", projectDir, labId);
        }
        // The README's one test command must work on a fresh machine: install what the lab needs first
        // (idempotent and silent when everything is present).
        ExecResult prereqs = Lab.runProcess(
                new ProcessBuilder(projectDir.resolve("lab/prereqs").toString()).directory(projectDir.toFile()),
                PREREQS_TIMEOUT);
        if (prereqs.exitCode() != 0) {
            return new Started(null, "lab/prereqs failed (exit " + prereqs.exitCode() + "):\n"
                    + prereqs.stdout() + prereqs.stderr(), projectDir, labId);
        }
        String size = System.getProperty("ntpdeploy.lab.hosts", System.getenv().getOrDefault("NTPDEPLOY_LAB_HOSTS", "5"));
        ExecResult up = Lab.runProcess(command(projectDir, labId, "up", size), UP_TIMEOUT);
        if (up.exitCode() != 0) {
            return new Started(null, "lab/fleet up " + size + " failed (exit " + up.exitCode() + "):\n"
                    + up.stdout() + up.stderr(), projectDir, labId);
        }
        ExecResult env = Lab.runProcess(command(projectDir, labId, "env"), Duration.ofSeconds(30));
        if (env.exitCode() != 0) {
            return new Started(null, "lab/fleet env failed: " + env.stderr(), projectDir, labId);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : env.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Started(new Lab(projectDir, vars), null, projectDir, labId);
    }

    /** Why this machine cannot host the lab, or null when it can. */
    static String cannotHostLab(Path projectDir) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "this is " + System.getProperty("os.name") + ", the lab needs Linux network namespaces";
        }
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.contains("\nUid:\t0\t")) {
                return "the tests do not run as root (the lab creates network namespaces, a bridge and mounts)";
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status (" + e.getMessage() + ")";
        }
        if (!Files.isExecutable(projectDir.resolve("lab/fleet"))) {
            return "no executable lab/fleet under " + projectDir;
        }
        if (!Files.isExecutable(projectDir.resolve("lab/prereqs"))) {
            return "no executable lab/prereqs under " + projectDir;
        }
        return null;
    }

    static ProcessBuilder command(Path projectDir, String labId, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(projectDir.resolve("lab/fleet").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(projectDir.toFile());
        if (labId.isEmpty()) {
            pb.environment().remove("LAB_ID");
        } else {
            pb.environment().put("LAB_ID", labId);
        }
        return pb;
    }
}
