package dev.ntpdeploy.watch;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the metrics endpoint listens: {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code none} to disable it. */
public record MetricsListen(String host, int port) {

    public static final String DEFAULT = "127.0.0.1:9469";
    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^\\[\\]:\\s]+)):(\\d{1,5})");

    /** Empty for {@code none}. @throws IllegalArgumentException naming the accepted forms */
    public static Optional<MetricsListen> parse(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(s);
        if (!m.matches() || Integer.parseInt(m.group(3)) > 65535) {
            throw new IllegalArgumentException("invalid --metrics-listen '" + text
                    + "': use HOST:PORT (e.g. 127.0.0.1:9469, [::1]:9469, 0.0.0.0:9469) or none");
        }
        return Optional.of(new MetricsListen(m.group(1) != null ? m.group(1) : m.group(2),
                Integer.parseInt(m.group(3))));
    }

    /** Starts the Prometheus client's HTTP server (/metrics, /-/healthy) for the registry. */
    public HTTPServer start(PrometheusRegistry registry) throws IOException {
        try {
            // Two threads are plenty for a scrape every few seconds, and the count stays fixed
            // (the client's default pool grows to 10); HTTPServer.close() shuts this executor down.
            ExecutorService scrapers = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "ntpdeploy-metrics");
                t.setDaemon(true);
                return t;
            });
            return HTTPServer.builder().hostname(host).port(port).registry(registry).executorService(scrapers)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + this + " for metrics: " + WatchLoop.oneLine(e)
                    + " (choose another --metrics-listen, or none)", e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
