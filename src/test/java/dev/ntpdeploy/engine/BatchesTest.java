package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ntpdeploy.playbook.BatchSize;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Batch sizing against Ansible's: the expected sizes below were computed with Ansible's own expressions in Python 3
 * ({@code int((pct / 100.0) * n) or 1}, lib/ansible/utils/helpers.py pct_to_int; the loop of
 * lib/ansible/executor/playbook_executor.py _get_serialized_batches), not with the code under test.
 */
class BatchesTest {

    private static List<Integer> hosts(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    private static List<Integer> sizes(int n, BatchSize... serial) {
        return Batches.of(hosts(n), List.of(serial)).stream().map(List::size).toList();
    }

    @Test
    void noSerialIsOneBatchOfEveryHost() {
        assertEquals(List.of(List.of(1, 2, 3)), Batches.of(hosts(3), List.of()));
    }

    @Test
    void aNumberCutsEqualBatchesAndTheLastTakesTheRest() {
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5)), Batches.of(hosts(5), List.of(BatchSize.hosts(2))));
    }

    @Test
    void zeroTakesEveryRemainingHostAsAnsible() {
        assertEquals(List.of(1, 4), sizes(5, BatchSize.hosts(1), BatchSize.hosts(0)));
    }

    @Test
    void aListSizesEachBatchAndItsLastItemRepeats() {
        // the example on 2,000 clients: 1, 10% = 200, 50% = 1000, then 100% takes the 799 left
        assertEquals(List.of(1, 200, 1000, 799), sizes(2000, BatchSize.hosts(1), BatchSize.percent(10),
                BatchSize.percent(50), BatchSize.percent(100)));
        // the last item repeats until no host is left
        assertEquals(List.of(1, 2, 2, 2), sizes(7, BatchSize.hosts(1), BatchSize.hosts(2)));
        // sizes past the hosts left just take what is left
        assertEquals(List.of(3, 2), sizes(5, BatchSize.hosts(3), BatchSize.hosts(10), BatchSize.hosts(1)));
    }

    @Test
    void percentagesAreOfAllThePlaysHostsNotOfThoseLeft() {
        // 50% of 4 is 2 for every batch, not 50% of the 3 left after the first
        assertEquals(List.of(1, 2, 1), sizes(4, BatchSize.hosts(1), BatchSize.percent(50)));
    }

    @ParameterizedTest(name = "{0}% of {1} hosts is {2}")
    @CsvSource({
        "29, 100, 28", // (29 / 100.0) * 100 = 28.999999999999996, truncated: Ansible's float arithmetic, kept
        "57, 100, 56",
        "58, 100, 57",
        "7, 100, 7",
        "14, 100, 14",
        "10, 4, 1",    // 0.4 truncates to 0, and 0 becomes 1
        "0, 5, 1",
        "1, 10, 1",
        "50, 4, 2",
        "33, 3, 1",
        "150, 4, 6",
    })
    void percentageRoundsAsAnsible(long pct, int hosts, long expected) {
        assertEquals(expected, Batches.size(BatchSize.percent(pct), hosts));
    }

    @Test
    void theShippedSitePlaybookOnTheLabsFourClients() {
        // playbooks/site.yml's clients: serial [1, 10%, 50%, 100%]; 4 clients: 1, int(0.4) or 1 = 1, int(2.0) = 2
        assertEquals(List.of(1, 1, 2), sizes(4, BatchSize.hosts(1), BatchSize.percent(10), BatchSize.percent(50),
                BatchSize.percent(100)));
    }

    @Test
    void noHostsNoBatch() {
        assertEquals(List.of(), Batches.of(List.of(), List.of(BatchSize.hosts(1))));
    }
}
