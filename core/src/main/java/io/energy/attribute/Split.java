package io.energy.attribute;

/**
 * Splits an integer amount in proportion to weights so that the parts add up to the amount exactly
 * (largest remainder). This is what makes the ledger's conservation exact rather than approximately
 * right: every joule is counted in integer nanojoules and handed out whole.
 */
public final class Split {
    private Split() {
    }

    /**
     * @return parts with {@code sum(parts) == total}, each {@code >= 0}, proportional to {@code weights};
     *         {@code null} if every weight is zero (the caller decides where the amount goes)
     */
    public static long[] proportional(long total, long[] weights, int count) {
        if (total < 0) {
            throw new IllegalArgumentException("negative amount " + total);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            if (weights[i] > 0) {
                sum += weights[i];
            }
        }
        if (sum <= 0) {
            return null;
        }
        long[] parts = new long[count];
        double[] fraction = new double[count];
        long given = 0;
        for (int i = 0; i < count; i++) {
            if (weights[i] <= 0) {
                fraction[i] = -1;
                continue;
            }
            double exact = (double) total * (weights[i] / sum);
            long whole = (long) Math.floor(exact);
            parts[i] = whole;
            fraction[i] = exact - whole;
            given += whole;
        }
        long left = total - given;
        // Floating point can leave a few units over or under; hand them out by largest remainder.
        while (left > 0) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (fraction[i] >= 0 && (best < 0 || fraction[i] > fraction[best])) {
                    best = i;
                }
            }
            parts[best]++;
            fraction[best] -= 1.0;
            left--;
        }
        while (left < 0) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                if (parts[i] > 0 && (best < 0 || fraction[i] < fraction[best])) {
                    best = i;
                }
            }
            parts[best]--;
            fraction[best] += 1.0;
            left++;
        }
        return parts;
    }

    public static long[] proportional(long total, long[] weights) {
        return proportional(total, weights, weights.length);
    }
}
