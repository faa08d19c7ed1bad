package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitPatternTest {

    private final Inventory inv = new Inventory(Path.of("inv.yml"), List.of(
            TestHosts.host("lab-h1", Role.MASTER, Flavor.AUTO),
            TestHosts.host("lab-h2", Role.CLIENT, Flavor.AUTO),
            TestHosts.host("lab-h3", Role.CLIENT, Flavor.AUTO),
            TestHosts.host("db-1", Role.CLIENT, Flavor.AUTO)));

    private List<String> names(String spec) {
        return LimitPattern.parse(spec).select(inv).stream().map(Host::name).toList();
    }

    @Test
    void hostNamesGroupsAndGlobsCommaSeparated() {
        assertEquals(List.of("lab-h2"), names("lab-h2"));
        assertEquals(List.of("lab-h1", "db-1"), names("masters,db-1"));
        assertEquals(List.of("lab-h1", "lab-h2", "lab-h3"), names("lab-*"));
        assertEquals(List.of("lab-h2", "lab-h3"), names("lab-h[23]"));
        assertEquals(List.of("lab-h1", "lab-h2", "lab-h3", "db-1"), names("all"));
    }

    @Test
    void exclusionWithBang() {
        assertEquals(List.of("lab-h2", "lab-h3", "db-1"), names("clients,!nothing-*"));
        assertEquals(List.of("lab-h1", "db-1"), names("all,!lab-h[23]"));
    }

    @Test
    void globStartingLikeAllDoesNotSelectEverything() {
        assertThrows(IllegalArgumentException.class, () -> names("a*"));
    }

    @Test
    void aTypoIsAnErrorNotAnEmptyRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> names("lab-h9"));
        assertTrue(e.getMessage().contains("'lab-h9' matches no host or group"), e.getMessage());
    }

    @Test
    void dotsInNamesAreLiteral() {
        assertThrows(IllegalArgumentException.class, () -> names("lab.h1"));
    }
}
