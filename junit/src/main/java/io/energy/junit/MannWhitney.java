package io.energy.junit;

import java.util.Arrays;

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum), one-sided: is the second sample stochastically larger than the
 * first? Rank-based, so a few slow repetitions (JIT warm-up, a GC) cannot make a regression on their own, and
 * no normal distribution of joules is assumed. Exact p-values for small samples without ties; the normal
 * approximation with tie and continuity corrections otherwise.
 */
public final class MannWhitney {
    /** Exact distribution up to this many (m × n) pairs. */
    static final int EXACT_MAX_PAIRS = 2_500;

    private MannWhitney() {
    }

    /**
     * @return the one-sided p-value of "{@code b} tends to be larger than {@code a}" (H0: same distribution)
     */
    public static double pGreater(double[] a, double[] b) {
        int m = a.length;
        int n = b.length;
        if (m == 0 || n == 0) {
            return 1.0;
        }
        double[] all = new double[m + n];
        System.arraycopy(a, 0, all, 0, m);
        System.arraycopy(b, 0, all, m, n);
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        // U for b: pairs (a_i, b_j) with b_j > a_i, ties counting one half
        double u = 0;
        for (double y : b) {
            for (double x : a) {
                u += y > x ? 1 : y == x ? 0.5 : 0;
            }
        }
        double tieTerm = 0;
        boolean ties = false;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            int t = j - i;
            if (t > 1) {
                ties = true;
                tieTerm += (double) t * t * t - t;
            }
            i = j;
        }
        if (!ties && (long) m * n <= EXACT_MAX_PAIRS) {
            return exactUpper(m, n, (int) Math.round(u));
        }
        int total = m + n;
        double mean = m * (double) n / 2;
        double var = m * (double) n / 12 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
        if (var <= 0) {
            return 1.0;
        }
        double z = (u - mean - 0.5) / Math.sqrt(var);
        return 1 - phi(z);
    }

    /** P(U ≥ u) under H0, counting the arrangements of m and n ranks (Mann and Whitney's recursion). */
    static double exactUpper(int m, int n, int u) {
        int max = m * n;
        // f[i][j][k]: arrangements of i a's and j b's with U (b over a) = k; double to avoid overflow
        double[][][] f = new double[m + 1][n + 1][];
        for (int i = 0; i <= m; i++) {
            for (int j = 0; j <= n; j++) {
                f[i][j] = new double[i * j + 1];
                if (i == 0 || j == 0) {
                    f[i][j][0] = 1;
                    continue;
                }
                for (int k = 0; k <= i * j; k++) {
                    // the largest value is a b (above all i a's: adds i) or an a (adds nothing)
                    double v = 0;
                    if (k - i >= 0 && k - i <= i * (j - 1)) {
                        v += f[i][j - 1][k - i];
                    }
                    if (k <= (i - 1) * j) {
                        v += f[i - 1][j][k];
                    }
                    f[i][j][k] = v;
                }
            }
        }
        double all = 0;
        double upper = 0;
        for (int k = 0; k <= max; k++) {
            all += f[m][n][k];
            if (k >= u) {
                upper += f[m][n][k];
            }
        }
        return upper / all;
    }

    /** The standard normal CDF (Zelen and Severo's 26.2.17 approximation, |error| < 7.5e-8). */
    static double phi(double z) {
        if (z < 0) {
            return 1 - phi(-z);
        }
        double t = 1 / (1 + 0.2316419 * z);
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978
                + t * 1.330274429))));
        return 1 - Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * poly;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
