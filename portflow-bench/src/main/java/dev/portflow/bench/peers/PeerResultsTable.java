package dev.portflow.bench.peers;

import dev.portflow.bench.JmhJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the JMH JSON result of {@link PeerBenchmark} ({@code -rf json}, best with {@code -prof gc})
 * into a Markdown table, shape x variant: messages/s, the ratio to the faster of Reactor and Pekko
 * on the same shape, what full metrics cost against Portflow without them, and bytes allocated per
 * message; with the machine (nproc, CPU model), JDK, JMH options and date above it.
 *
 * <pre>
 * java -cp benchmarks.jar dev.portflow.bench.peers.PeerResultsTable peers.json [--title TEXT] [--load TEXT]
 * java -cp benchmarks.jar dev.portflow.bench.peers.PeerResultsTable --replace-section BENCHMARKS.md section.md
 * </pre>
 *
 * <p>The second form replaces what lies between the lines {@value #BEGIN} and {@value #END} of the
 * first file by the content of the second (used by {@code bench/run-all --update-benchmarks-md});
 * it fails, changing nothing, unless both markers are there once each and in that order.
 *
 * <p>Scores are rescaled when a run used {@code -p messages=M} other than 1,000,000 (JMH's raw
 * score assumes {@code @OperationsPerInvocation(1_000_000)}): messages/s times {@code M / 1e6}, bytes
 * per message divided by it. With the default they are JMH's numbers as they are: JMH already
 * divides {@code gc.alloc.rate.norm} by the operations per invocation, so it is bytes per message.
 */
public final class PeerResultsTable {

    static final String BEGIN = "<!-- run-all:begin -->";
    static final String END = "<!-- run-all:end -->";
    private static final String[] VARIANTS = {"portflow_metrics", "portflow_nometrics", "reactor", "pekko"};
    private static final String[] SHAPES = {"map", "router_merge", "batch"};

    private PeerResultsTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--replace-section")) {
            Path target = Path.of(args[1]);
            String replaced = replaceSection(
                    Files.readString(target, StandardCharsets.UTF_8),
                    Files.readString(Path.of(args[2]), StandardCharsets.UTF_8));
            if (replaced == null) {
                System.err.println("PeerResultsTable: " + target + " needs the lines " + BEGIN + " and " + END
                        + " (once each, in this order) around the section to replace; nothing changed");
                System.exit(3);
            }
            Files.writeString(target, replaced, StandardCharsets.UTF_8);
            System.out.println("updated the run-all section of " + target);
            return;
        }
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("usage: PeerResultsTable <peers.json> [--title TEXT] [--load TEXT]\n"
                    + "       PeerResultsTable --replace-section <file.md> <section.md>");
            System.exit(2);
        }
        String title = "Race the peers";
        String load = null;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--title" -> title = args[i + 1];
                case "--load" -> load = args[i + 1];
                default -> {
                    System.err.println("PeerResultsTable: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.print(table(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), title, load, machine()));
    }

    /** The content between the markers replaced by {@code section}; {@code null} if the markers are missing. */
    static @Nullable String replaceSection(String document, String section) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0
                || end < begin
                || document.indexOf(BEGIN, begin + 1) >= 0
                || document.indexOf(END, end + 1) >= 0) {
            return null;
        }
        String body = section.endsWith("\n") ? section : section + "\n";
        return document.substring(0, begin + BEGIN.length()) + "\n" + body + document.substring(end);
    }

    /** nproc, CPU model and kernel of the machine this runs on (the one the benchmarks ran on). */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it unknown
        }
        return String.format(
                Locale.ROOT,
                "nproc=%d, %s, %s %s",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    record Result(
            String shape,
            String variant,
            int messages,
            double score,
            double error,
            double min,
            double max,
            int iterations,
            @Nullable Double bytesPerMessage,
            double untimedBytesPerMessage) {}

    @SuppressWarnings("unchecked")
    static List<Result> results(Object parsed) {
        List<Result> out = new ArrayList<>();
        for (Object o : (List<Object>) parsed) {
            Map<String, @Nullable Object> r = (Map<String, @Nullable Object>) o;
            if (!isPeerResult(r)) {
                continue;
            }
            Map<String, @Nullable Object> params = (Map<String, @Nullable Object>) JmhJson.require(r, "params");
            int messages = Integer.parseInt(String.valueOf(params.get("messages")));
            double scale = (double) messages / PeerBenchmark.OPS;
            Map<String, @Nullable Object> primary = (Map<String, @Nullable Object>) JmhJson.require(r, "primaryMetric");
            List<Double> iterations = new ArrayList<>();
            if (primary.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    for (Object x : (List<Object>) fork) {
                        iterations.add(JmhJson.number(x) * scale);
                    }
                }
            }
            Double bytes = null;
            double untimed = 0;
            if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
                if (secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
                    bytes = JmhJson.number(norm.get("score")) / scale;
                }
                if (secondary.get("untimedBytes") instanceof Map<?, ?> sb
                        && secondary.get("untimedRuns") instanceof Map<?, ?> sr) {
                    double perRun = JmhJson.number(sb.get("score")) / JmhJson.number(sr.get("score"));
                    if (perRun > 0) {
                        untimed = perRun / messages;
                    }
                }
            }
            out.add(new Result(
                    String.valueOf(params.get("shape")),
                    String.valueOf(params.get("variant")),
                    messages,
                    JmhJson.number(primary.get("score")) * scale,
                    JmhJson.number(primary.get("scoreError")) * scale,
                    iterations.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    iterations.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    iterations.size(),
                    bytes,
                    untimed));
        }
        return out;
    }

    static String table(String json, String title, @Nullable String load, String machine) {
        Object parsed = JmhJson.parse(json);
        List<Result> results = results(parsed);
        StringBuilder out = new StringBuilder();
        out.append("### ").append(title).append("\n\n");
        Map<String, @Nullable Object> first = firstPeerResult(parsed);
        if (first == null) { // then results is empty too: one Result per PeerBenchmark entry
            return out.append("No PeerBenchmark results in this file.\n").toString();
        }
        out.append("| | |\n|---|---|\n");
        out.append("| date | ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" |\n");
        out.append("| machine | ").append(machine).append(" |\n");
        out.append("| JDK | ")
                .append(first.get("jdkVersion"))
                .append(", ")
                .append(first.get("vmName"))
                .append(' ')
                .append(first.get("vmVersion"))
                .append(", JMH ")
                .append(first.get("jmhVersion"))
                .append(" |\n");
        out.append(String.format(
                Locale.ROOT,
                "| JMH run | %s fork(s), warm-up %s x %s, measurement %s x %s, %s messages per run |%n",
                str(first.get("forks")),
                str(first.get("warmupIterations")),
                first.get("warmupTime"),
                str(first.get("measurementIterations")),
                first.get("measurementTime"),
                String.format(Locale.ROOT, "%,d", results.get(0).messages())));
        if (load != null) {
            out.append("| load (1, 5, 15 min) | ").append(load).append(" |\n");
        }
        out.append('\n');
        out.append("| shape | variant | messages/s | min .. max iteration | vs faster peer | metrics cost | B/msg |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        Map<String, Map<String, Result>> byShape = new LinkedHashMap<>();
        for (String s : SHAPES) {
            byShape.put(s, new LinkedHashMap<>());
        }
        for (Result r : results) {
            byShape.computeIfAbsent(r.shape(), k -> new LinkedHashMap<>()).put(r.variant(), r);
        }
        byShape.forEach((shape, variants) -> {
            if (variants.isEmpty()) {
                return;
            }
            Result reactor = variants.get("reactor");
            Result pekko = variants.get("pekko");
            Result peer = reactor == null
                    ? pekko
                    : pekko == null ? reactor : reactor.score() >= pekko.score() ? reactor : pekko;
            Result off = variants.get("portflow_nometrics");
            List<String> order = new ArrayList<>(List.of(VARIANTS));
            variants.keySet().stream().filter(v -> !order.contains(v)).forEach(order::add);
            for (String v : order) {
                Result r = variants.get(v);
                if (r == null) {
                    continue;
                }
                String vsPeer = peer == null
                        ? "-"
                        : r.equals(peer)
                                ? "100 % (faster peer)"
                                : String.format(
                                        Locale.ROOT, "%.0f %% of %s", 100 * r.score() / peer.score(), peer.variant());
                String cost = "";
                if (v.equals("portflow_metrics") && off != null) {
                    double extraNanos = 1e9 / r.score() - 1e9 / off.score();
                    cost = String.format(
                            Locale.ROOT,
                            "%+.0f %% msg/s (%+.0f ns/msg)",
                            100 * (r.score() / off.score() - 1),
                            extraNanos);
                }
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s .. %s | %s | %s | %s |%n",
                        shape,
                        v,
                        mega(r.score()),
                        mega(r.min()),
                        mega(r.max()),
                        vsPeer,
                        cost,
                        bytes(r)));
            }
        });
        out.append('\n');
        out.append("messages/s: mean of the measured iterations (one operation = one whole run from start to the sink's"
                + " end of stream; every run verified: exactly N messages, expected sum). vs faster peer: this"
                + " variant / the faster of reactor and pekko on the same shape. metrics cost: portflow_metrics against"
                + " portflow_nometrics, in throughput and in time per message. B/msg: gc.alloc.rate.norm"
                + " (-prof gc), bytes allocated per message by the whole JVM during the timed runs; what the untimed"
                + " preparation and checks of each run allocated (building a Portflow pipeline, which runs only once;"
                + " a Prometheus scrape) is counted by -prof gc too and shown apart as \"+x untimed\".\n");
        if (results.stream().anyMatch(r -> r.messages() != PeerBenchmark.OPS)) {
            out.append("Runs of other than 1,000,000 messages: scores and B/msg rescaled from JMH's raw numbers.\n");
        }
        return out.toString();
    }

    /** Whether {@code result}, one entry of a JMH result file, is a run of {@link PeerBenchmark}. */
    private static boolean isPeerResult(Map<String, @Nullable Object> result) {
        return String.valueOf(result.get("benchmark")).endsWith("peers.PeerBenchmark.run");
    }

    /** The first {@code PeerBenchmark} result of the parsed file, {@code null} if there is none. */
    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, @Nullable Object> firstPeerResult(Object parsed) {
        for (Object o : (List<Object>) parsed) {
            Map<String, @Nullable Object> r = (Map<String, @Nullable Object>) o;
            if (isPeerResult(r)) {
                return r;
            }
        }
        return null;
    }

    /** Bytes per message of the timed part; the untimed setup's and checks' share (counted by -prof gc) in parentheses. */
    private static String bytes(Result r) {
        Double timed = r.bytesPerMessage();
        if (timed == null) {
            return "-";
        }
        if (r.untimedBytesPerMessage() < 0.005) {
            return String.format(Locale.ROOT, "%.2f", timed);
        }
        return String.format(
                Locale.ROOT,
                "%.2f (+%.2f untimed)",
                Math.max(0, timed - r.untimedBytesPerMessage()),
                r.untimedBytesPerMessage());
    }

    private static String str(@Nullable Object o) {
        return o instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(o);
    }

    private static String mega(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2f M", v / 1e6) : String.format(Locale.ROOT, "%,.0f", v);
    }
}
