package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Opening a run's hosts: on FanOut, each host's failure its own one-line reason, the results in inventory order. */
class ConnectorTest {

    static Connection connection(String name) {
        return new Connection() {
            @Override
            public String host() {
                return name;
            }

            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) {
                return new ExecResult(0, "", "");
            }

            @Override
            public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) {
                return new ExecResult(0, "", "");
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void eachHostIsOpenedOnItsOwnAndItsFailureIsItsReason() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Connector c = new Connector() {
            @Override
            public Dialer prepare() {
                return h -> {
                    threads.add(Thread.currentThread().getName());
                    return switch (h.name()) {
                        case "down" -> throw new TransportException("down: connection refused");
                        case "bug" -> throw new IllegalStateException("a bug");
                        default -> connection(h.name());
                    };
                };
            }

            @Override
            public int forks() {
                return 2;
            }
        };
        List<Host> hosts = List.of(TestHosts.host("m1", Role.MASTER, null), TestHosts.host("down", Role.CLIENT, null),
                TestHosts.host("bug", Role.CLIENT, null), TestHosts.host("c3", Role.CLIENT, null));
        Connector.Opened opened = c.openAll(hosts);
        assertEquals(List.of("m1", "c3"), List.copyOf(opened.connected().keySet()));
        assertEquals(List.of("down", "bug"), List.copyOf(opened.unreachable().keySet()));
        assertEquals("down: connection refused", opened.unreachable().get("down"));
        assertEquals("bug: internal error while connecting: java.lang.IllegalStateException: a bug",
                opened.unreachable().get("bug"));
        assertTrue(threads.stream().allMatch(t -> t.startsWith("ntpdeploy-connect-")), threads.toString());
    }
}
