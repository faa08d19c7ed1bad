package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ansible's stop rule. The expected values were computed in Python 3 with the linear strategy's expression
 * ({@code (failed / batch_size) > max_fail_percentage / 100.0}, lib/ansible/plugins/strategy/linear.py), not with the
 * code under test.
 */
class FailureBudgetTest {

    @ParameterizedTest(name = "{0} failed of {1} with max {2}% stops: {3}")
    @CsvSource({
        "1, 10, 10, false", // exactly 10%: not more than 10%
        "2, 10, 10, true",
        "1, 3, 33, true",   // 33.3% > 33%
        "1, 3, 33.4, false",
        "1, 2, 50, false",
        "3, 10, 30, false", // 0.3 > 0.3 is false in floating point too
        "7, 10, 70, false",
        "1, 100, 0, true",  // 0: any failure stops
        "0, 10, 0, false",
        "1, 1, 10, true",
    })
    void maxFailPercentageIsStrictlyMoreThan(int failed, int batch, double max, boolean stops) {
        assertEquals(stops, new FailureBudget(OptionalDouble.of(max), false).exceeded(failed, batch));
    }

    @Test
    void withoutABudgetOnlyAWhollyFailedBatchStops() {
        FailureBudget none = new FailureBudget(OptionalDouble.empty(), false);
        assertEquals(false, none.exceeded(3, 4));
        assertEquals(true, none.exceeded(4, 4));
    }

    @Test
    void aWhollyFailedBatchStopsWhateverTheBudget() {
        assertEquals(true, new FailureBudget(OptionalDouble.of(100), false).exceeded(2, 2));
        assertEquals(false, new FailureBudget(OptionalDouble.of(100), false).exceeded(1, 2));
    }

    @Test
    void anyErrorsFatalStopsAtTheFirstFailure() {
        assertEquals(true, new FailureBudget(OptionalDouble.of(50), true).exceeded(1, 10));
        assertEquals(false, new FailureBudget(OptionalDouble.empty(), true).exceeded(0, 10));
    }
}
