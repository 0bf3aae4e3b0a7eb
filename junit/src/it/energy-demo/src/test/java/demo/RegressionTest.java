package demo;

import io.energy.junit.MeasureEnergy;
import org.junit.jupiter.api.RepeatedTest;

import static org.junit.jupiter.api.Assertions.assertTrue;

@MeasureEnergy
class RegressionTest {
    static final int REPS = 10;

    @RepeatedTest(REPS)
    void hash() {
        assertTrue(Work.hash(5000) != 1);
    }

    @RepeatedTest(REPS)
    void sort() {
        assertTrue(Work.sort(2_500_000) != 1);
    }

    @RepeatedTest(REPS)
    void strings() {
        assertTrue(Work.strings(5_000_000) > 0);
    }

    @RepeatedTest(REPS)
    void primes() {
        assertTrue(Work.primes(25_000_000) > 0);
    }
}
