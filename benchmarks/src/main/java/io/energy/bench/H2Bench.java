package io.energy.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fixed work in a real third-party library, H2 2.x in memory, for the agent's overhead on code it did not
 * write: {@code H2Bench [rows=300000] [lookups=20000] [groups=3]}.
 *
 * <ol>
 *   <li>a table with a primary key and a secondary index; {@code rows} inserts through a prepared
 *       statement, in batches of 1000;</li>
 *   <li>{@code lookups} indexed aggregate queries ({@code SUM}/{@code COUNT} of one category, ~30 rows,
 *       through the secondary index);</li>
 *   <li>{@code groups} full-table {@code GROUP BY} aggregates.</li>
 * </ol>
 * Prints the time of each phase and of the whole work, and a checksum of every result, which must be the
 * same with and without the agent.
 */
public final class H2Bench {
    private H2Bench() {
    }

    public static void main(String[] args) throws SQLException {
        int rows = arg(args, "rows", 300_000);
        int lookups = arg(args, "lookups", 20_000);
        int groups = arg(args, "groups", 3);
        long checksum = 0;
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item(id INT PRIMARY KEY, category INT, price INT, name VARCHAR(40))");
                s.execute("CREATE INDEX item_category ON item(category)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?)")) {
                long x = 12345;
                for (int i = 0; i < rows; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    p.setInt(1, i);
                    p.setInt(2, (int) ((x >>> 33) % 10_000));
                    p.setInt(3, (int) ((x >>> 17) & 0xFFFF));
                    p.setString(4, "item-" + i);
                    p.addBatch();
                    if (i % 1000 == 999) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
            long t1 = System.nanoTime();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT COUNT(*), SUM(price) FROM item WHERE category = ?")) {
                for (int i = 0; i < lookups; i++) {
                    q.setInt(1, (i * 37) % 10_000);
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        checksum = checksum * 31 + r.getLong(1) * 7 + r.getLong(2);
                    }
                }
            }
            long t2 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                for (int g = 0; g < groups; g++) {
                    try (ResultSet r = s.executeQuery("SELECT MOD(category, " + (10 + g)
                            + ") AS k, COUNT(*), SUM(price), MAX(name) FROM item GROUP BY k ORDER BY k")) {
                        while (r.next()) {
                            checksum = checksum * 31 + r.getLong(2) + r.getLong(3) + r.getString(4).hashCode();
                        }
                    }
                }
            }
            long t3 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("DROP ALL OBJECTS");
            }
            System.out.printf("h2 inserts %.3f s, lookups %.3f s, group-by %.3f s, work %.3f s, checksum %016x%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, checksum);
        }
    }

    private static int arg(String[] args, String name, int dflt) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 1));
            }
        }
        return dflt;
    }
}
