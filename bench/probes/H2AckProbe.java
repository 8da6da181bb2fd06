import java.nio.file.*;
import java.sql.*;
import java.util.*;

/**
 * Does embedded H2 lose an upsert it acknowledged when the process is killed with SIGKILL? (The disk
 * edge's kill loop once ended with 6 ids missing from an H2 store although the edge had delivered
 * them and the pipeline had finished them: docs/disk-transport.md, "How it is tested".) A child
 * process upserts id-N, id-N+1, ... on one connection with {@code WRITE_DELAY=0}, as the store
 * recipe does, and prints "ack id-N" after each statement returns; the parent kills it after 0.3 ..
 * 2.8 s, reopens the same database (kept across runs, so it grows as the kill loop's does) and
 * counts the acknowledged ids that are not in the table.
 *
 * <pre>
 * javac -cp ~/.m2/repository/com/h2database/h2/2.5.252/h2-2.5.252.jar -d /tmp/probe bench/probes/H2AckProbe.java
 * java -cp ~/.m2/repository/com/h2database/h2/2.5.252/h2-2.5.252.jar:/tmp/probe H2AckProbe loop RUNS
 * </pre>
 *
 * 2026-12-03, H2 2.5.252, this 2-core VM with the kill loop running beside it: 150 kills, 4,080
 * rows, 0 acknowledged rows lost. Not part of the build: a standalone program (single-file source).
 */
public class H2AckProbe {
    static final String DDL = "CREATE TABLE IF NOT EXISTS orders (id VARCHAR PRIMARY KEY, body JSON, ingest_time TIMESTAMP WITH TIME ZONE NOT NULL, event_time TIMESTAMP WITH TIME ZONE)";
    static final String MERGE = "MERGE INTO orders (id, body, ingest_time, event_time) KEY (id) VALUES (?, ? FORMAT JSON, ?, ?)";

    public static void main(String[] a) throws Exception {
        if (a[0].equals("write")) { write(a[1], Integer.parseInt(a[2])); return; }
        int runs = Integer.parseInt(a[1]);
        Random r = new Random();
        Path dir = Files.createTempDirectory("h2ack");
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
        try (Connection c = DriverManager.getConnection(url)) { c.createStatement().execute(DDL); }
        int next = 0; long lostTotal = 0;
        for (int run = 1; run <= runs; run++) {
            Path out = dir.resolve("acks-" + run + ".txt");
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().get(), "-cp", System.getProperty("java.class.path"), "H2AckProbe", "write", url, "" + next)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Thread.sleep(300 + r.nextInt(2500));
            p.destroyForcibly(); p.waitFor();
            List<String> acked = new ArrayList<>();
            for (String line : Files.readAllLines(out)) if (line.startsWith("ack ")) acked.add(line.substring(4));
            Set<String> rows = new HashSet<>();
            try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM orders")) {
                while (rs.next()) rows.add(rs.getString(1));
            }
            List<String> lost = new ArrayList<>();
            for (String id : acked) if (!rows.contains(id)) lost.add(id);
            lostTotal += lost.size();
            next += acked.size() + 1000;
            System.out.println("run " + run + ": acked " + acked.size() + ", rows " + rows.size() + ", lost " + lost.size() + (lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size()))) + " total lost " + lostTotal);
        }
        System.out.println("dir " + dir);
    }

    static void write(String url, int from) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            PreparedStatement ps = c.prepareStatement(MERGE);
            for (int id = from; ; id++) {
                ps.setString(1, "id-" + id);
                ps.setString(2, "{\"n\":" + id + "}");
                ps.setObject(3, java.time.OffsetDateTime.now());
                ps.setObject(4, null);
                ps.executeUpdate();
                System.out.println("ack id-" + id);
                Thread.sleep(1);
            }
        }
    }
}
