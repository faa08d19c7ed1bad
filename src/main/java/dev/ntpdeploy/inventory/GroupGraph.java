package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.VarParser.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups of an inventory and how they nest. Group names are global, as in Ansible, so a group
 * declared in several places is one node, and a cycle can run through places no single nesting path
 * shows ({@code europe -> fra} under one parent, {@code fra -> europe} under another). Every walk
 * here is a loop over an explicit work list, never a recursion: no inventory can overflow the stack.
 */
final class GroupGraph {

    /** One group, merged over all the places it is declared. */
    static final class Group {
        final String name;
        final SourcePos pos;
        final Map<String, Var> vars = new LinkedHashMap<>();
        /** Each child group, with where it is first listed under this one. */
        final Map<String, SourcePos> children = new LinkedHashMap<>();
        final Set<String> parents = new LinkedHashSet<>();
        final Map<String, SourcePos> hosts = new LinkedHashMap<>();
        /** ansible_group_priority from the inventory source: among groups of one depth, higher merges later and wins. */
        int priority = 1;

        Group(String name, SourcePos pos) {
            this.name = name;
            this.pos = pos;
        }
    }

    private final String root;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private Map<String, Integer> depth;

    GroupGraph(String root, SourcePos pos) {
        this.root = root;
        groups.put(root, new Group(root, pos));
    }

    /** The group of this name, declared here if it is new. */
    Group declare(String name, SourcePos pos) throws InventoryException {
        Group g = groups.get(name);
        if (g != null) {
            return g;
        }
        if (groups.size() - 1 == Limits.GROUPS) { // ungrouped, always there, does not count
            throw Limits.exceeded(pos, "group " + Excerpt.quote(name) + " makes " + Excerpt.count(Limits.GROUPS + 1L)
                    + " groups", Limits.GROUPS, "groups", "split the fleet into several inventories, e.g. one per site");
        }
        g = new Group(name, pos);
        groups.put(name, g);
        return g;
    }

    Group get(String name) {
        return groups.get(name);
    }

    Collection<Group> all() {
        return groups.values();
    }

    String root() {
        return root;
    }

    /** Nests child under parent; a cycle is found later, by {@link #seal()}, wherever its links are written. */
    void link(Group parent, Group child, SourcePos pos) throws InventoryException {
        if (child.name.equals(root)) {
            throw new InventoryException(pos + ": " + Excerpt.quote(root) + " cannot be a child group"
                    + " (it already contains every group: remove it here)");
        }
        parent.children.putIfAbsent(child.name, pos);
        child.parents.add(parent.name);
    }

    /**
     * Checks the graph has no cycle and computes each group's depth (the longest path from the root,
     * Ansible's merge order), in one pass of Kahn's algorithm: a group is placed once all its parents are.
     */
    void seal() throws InventoryException {
        Map<String, Integer> waiting = new HashMap<>();
        groups.values().forEach(g -> waiting.put(g.name, g.parents.size()));
        Map<String, Integer> placed = new HashMap<>();
        ArrayDeque<String> ready = new ArrayDeque<>();
        for (Group g : groups.values()) {
            if (g.parents.isEmpty()) {
                ready.add(g.name);
                placed.put(g.name, 0);
            }
        }
        while (!ready.isEmpty()) {
            String n = ready.poll();
            int d = placed.get(n);
            for (String child : groups.get(n).children.keySet()) {
                placed.merge(child, d + 1, Math::max);
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (waiting.values().stream().anyMatch(w -> w > 0)) {
            throw cycleError(waiting);
        }
        depth = placed;
    }

    /**
     * A group never placed has a parent never placed, so walking up from one through such parents must
     * come back to a group already seen: that loop is a cycle.
     */
    private InventoryException cycleError(Map<String, Integer> waiting) {
        String start = groups.values().stream().filter(g -> waiting.get(g.name) > 0).findFirst().orElseThrow().name;
        Map<String, Integer> seen = new HashMap<>();
        List<String> walk = new ArrayList<>();
        String cur = start;
        while (!seen.containsKey(cur)) {
            seen.put(cur, walk.size());
            walk.add(cur);
            cur = groups.get(cur).parents.stream().filter(p -> waiting.get(p) > 0).findFirst().orElseThrow();
        }
        List<String> cycle = new ArrayList<>(walk.subList(seen.get(cur), walk.size()));
        java.util.Collections.reverse(cycle); // now each group is a parent of the next, the last a parent of the first
        int k = cycle.size();
        List<SourcePos> links = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            links.add(groups.get(cycle.get(i)).children.get(cycle.get((i + 1) % k)));
        }
        Comparator<SourcePos> inFile = Comparator.comparingInt(SourcePos::line).thenComparingInt(SourcePos::column);
        int last = links.indexOf(links.stream().max(inFile).orElseThrow());
        // told from the link written last (likely the newest), which closes the loop
        StringBuilder chain = new StringBuilder(Excerpt.plain(cycle.get((last + 1) % k)));
        for (int step = 1; step <= k; step++) {
            if (k > 9 && step == 6) {
                chain.append(" -> ...");
                step = k - 3;
            }
            int i = (last + step) % k;
            SourcePos at = links.get(i);
            chain.append(" -> ").append(Excerpt.plain(cycle.get((i + 1) % k)))
                    .append(" (line ").append(at.line()).append(':').append(at.column()).append(')');
        }
        if (k > 9) {
            chain.append(" (").append(Excerpt.count(k)).append(" groups)");
        }
        return new InventoryException(links.get(last) + ": group " + Excerpt.quote(cycle.get((last + 1) % k))
                + " contains itself: " + chain + " (a group cannot contain itself: remove one of these 'children:' entries)");
    }

    /** How deep the group is nested: 0 for the root. Only after {@link #seal()}. */
    int depth(String name) {
        return depth.get(name);
    }

    /** A group and every group nested under it. */
    Set<String> descendants(String name) {
        Set<String> out = new LinkedHashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            Group g = groups.get(n);
            if (g != null && out.add(n)) {
                todo.addAll(g.children.keySet());
            }
        }
        return out;
    }

    /**
     * These groups and every group they are nested in, stopping once there are more than {@code max}
     * (the caller refuses that many, and a host in a wide graph could otherwise inherit all of them).
     */
    Set<String> ancestorsAndSelf(Collection<String> names, int max) {
        Set<String> out = new LinkedHashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(names);
        while (!todo.isEmpty() && out.size() <= max) {
            String n = todo.pop();
            if (out.add(n)) {
                todo.addAll(groups.get(n).parents);
            }
        }
        return out;
    }
}
