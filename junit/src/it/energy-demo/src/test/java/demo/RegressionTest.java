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
        // twice: one sieve is ~70 ms of CPU here, too close to the 10 ms grain of the process CPU clock
        assertTrue(Work.primes(25_000_000) + Work.primes(25_000_000) > 0);
    }
}
