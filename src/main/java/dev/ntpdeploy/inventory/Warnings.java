package dev.ntpdeploy.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What loading an inventory noticed but did not refuse (another role's variable ntpdeploy ignores, a group_vars
 * file for a group the inventory lacks): each said once, by its subject, however many places repeat it.
 */
final class Warnings {

    private final Map<String, String> bySubject = new LinkedHashMap<>();

    /** The first message for a subject is kept; later ones for it are the same news. */
    void add(String subject, String message) {
        bySubject.putIfAbsent(subject, message);
    }

    List<String> all() {
        return List.copyOf(bySubject.values());
    }
}
