package dev.ntpdeploy.playbook;

import dev.ntpdeploy.inventory.SourcePos;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One play, Ansible's keys restricted to what ntpdeploy does.
 *
 * @param hosts             an Ansible host pattern, as --limit takes
 * @param serial            the batch sizes, Ansible's {@code serial} as a list (empty: one batch of every host)
 * @param maxFailPercentage the play stops once the failed hosts of a batch exceed this share of it (Ansible's
 *                          meaning: strictly more than); empty when not set
 * @param anyErrorsFatal    one failed host stops the play
 */
public record Play(String name, SourcePos pos, String hosts, SourcePos hostsPos, List<BatchSize> serial,
                   OptionalDouble maxFailPercentage, boolean anyErrorsFatal, List<Task> tasks) {

    public Play {
        serial = List.copyOf(serial);
        tasks = List.copyOf(tasks);
    }

    /** The play's name, or its hosts pattern when it has none (as Ansible shows it). */
    public String title() {
        return name.isEmpty() ? hosts : name;
    }
}
