package io.energy.attribute;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The split's integer repairs when doubles cannot hold the amount (issue 14: the hand-back and take-back
 * loops had no test). Above 2^53 nJ (about 9 MJ, a long run's package energy) a double rounds the amount to
 * an even number: 10^16 + 1 reads as 10^16 (one nanojoule short) and 10^16 + 3 as 10^16 + 4 (one too many).
 */
class SplitRoundingTest {
    private static final long E16 = 10_000_000_000_000_000L;

    @Test
    void aUnitTheDoublesLostIsHandedBackSoThePartsAddUpToTheAmount() {
        // Halves of 10^16 + 1: 5·10^15 each in doubles, one unit left; it goes to the first of equal remainders.
        assertArrayEquals(new long[]{E16 / 2 + 1, E16 / 2}, Split.proportional(E16 + 1, new long[]{1, 1}));
    }

    @Test
    void aUnitTheDoublesMadeUpIsTakenBackAndNeverFromAnEmptyPart() {
        // Halves of 10^16 + 3 read as 10^16 + 4: 5·10^15 + 2 each, one unit too many; it is taken back from a
        // part that has one (the first of equal remainders), never from the zero weight's empty part.
        assertArrayEquals(new long[]{0, E16 / 2 + 1, E16 / 2 + 2},
                Split.proportional(E16 + 3, new long[]{0, 1, 1}));
    }

    @Test
    void aZeroAmountSplitsIntoZerosAndANegativeOneIsRefused() {
        assertArrayEquals(new long[]{0, 0}, Split.proportional(0, new long[]{3, 1}));
        assertThrows(IllegalArgumentException.class, () -> Split.proportional(-1, new long[]{1}));
    }

    @Test
    void onlyTheFirstCountWeightsAreUsed() {
        assertArrayEquals(new long[]{3, 1}, Split.proportional(4, new long[]{3, 1, 1000}, 2));
    }

    @Test
    void theFirstOfEqualPartsGivesBackTheUnitTooMany() {
        assertArrayEquals(new long[]{E16 / 2 + 1, E16 / 2 + 2}, Split.proportional(E16 + 3, new long[]{1, 1}));
    }

    @Test
    void twoUnitsTooManyAreTakenBackOneFromEachEqualPart() {
        // 18014398509481990 (above 2^54, where doubles step by 4) halves to 9007199254740996 twice: 2 over.
        long t = 18_014_398_509_481_990L;
        assertArrayEquals(new long[]{t / 2, t / 2}, Split.proportional(t, new long[]{1, 1}));
    }
}
