package dev.portflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Prints a Markdown summary of a JMH JSON result file ({@code -rf json}): one row per benchmark
 * and parameter set (ops/s with its 99.9 % error, {@code gc.alloc.rate.norm} when {@code -prof gc}
 * ran), then the throughput of each channel relative to {@code MpscArrayQueue}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.portflow.bench.ResultsSummary result.json}
 *
 * <p>With several files (one per round of a paired run, see {@code portflow-bench/paired-ratio.sh})
 * it prints, per round and per {@code ChannelHandoffBenchmark} method, each channel's score relative
 * to the {@code MpscArrayQueue} score of the <em>same</em> round, and the median over rounds. Rounds
 * are minutes apart at most, so both sides of each ratio ran under the same conditions (CPU
 * placement of a VM's vCPUs, neighbours' load), which the single-run ratios cannot promise.
 */
public final class ResultsSummary {

    /** The project's target for Portflow with full metrics relative to MpscArrayQueue, 2P->1C. */
    static final double TARGET_RATIO = 0.50;

    private ResultsSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ResultsSummary <jmh-result.json> [more rounds.json...]");
            System.exit(2);
        }
        if (args.length == 1) {
            System.out.print(summarize(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
            return;
        }
        List<List<Row>> rounds = new ArrayList<>();
        for (String file : args) {
            rounds.add(rows(JmhJson.parse(Files.readString(Path.of(file), StandardCharsets.UTF_8))));
        }
        System.out.print(paired(rounds));
    }

    /** Per-round ratios to the same round's MpscArrayQueue score, and their medians. */
    static String paired(List<List<Row>> rounds) {
        Map<String, List<Double>> ratios = new TreeMap<>();
        Map<String, List<Double>> scores = new TreeMap<>();
        StringBuilder out =
                new StringBuilder("| round | benchmark | channel | ops/s | relative to mpsc (same round) |\n");
        out.append("|---:|---|---|---:|---:|\n");
        for (int k = 0; k < rounds.size(); k++) {
            Map<String, Double> base = new TreeMap<>();
            for (Row r : rounds.get(k)) {
                if (r.benchmark().startsWith("ChannelHandoffBenchmark.")
                        && r.params().equals("channel=mpsc")) {
                    base.put(r.benchmark(), r.score());
                }
            }
            for (Row r : rounds.get(k)) {
                Double b = base.get(r.benchmark());
                if (b == null) {
                    continue;
                }
                String key = r.benchmark() + " | " + r.params().replace("channel=", "");
                double ratio = r.score() / b;
                ratios.computeIfAbsent(key, x -> new ArrayList<>()).add(ratio);
                scores.computeIfAbsent(key, x -> new ArrayList<>()).add(r.score());
                out.append(String.format(
                        Locale.ROOT, "| %d | %s | %,.0f | %.1f %% |%n", k + 1, key, r.score(), 100 * ratio));
            }
        }
        out.append(
                "\n| benchmark | channel | median ops/s | min .. max ops/s | median ratio to mpsc | min .. max ratio |\n");
        out.append("|---|---|---:|---:|---:|---:|\n");
        ratios.forEach((key, list) -> {
            List<Double> r = new ArrayList<>(list);
            List<Double> sc = new ArrayList<>(scores.get(key));
            r.sort(null);
            sc.sort(null);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f .. %,.0f | %.1f %% | %.1f .. %.1f %% |%n",
                    key,
                    median(sc),
                    sc.get(0),
                    sc.get(sc.size() - 1),
                    100 * median(r),
                    100 * r.get(0),
                    100 * r.get(r.size() - 1)));
        });
        // Batched receive on both sides: Portflow's drain(...) against JCTools' drain(...), same round.
        for (String bench : new String[] {"ChannelHandoffBenchmark.p1c1", "ChannelHandoffBenchmark.p2c1"}) {
            List<Double> pf = scores.get(bench + " | portflow_timed_batch");
            List<Double> mp = scores.get(bench + " | mpsc_batch");
            if (pf != null && mp != null && pf.size() == mp.size()) {
                List<Double> r = new ArrayList<>();
                for (int i = 0; i < pf.size(); i++) {
                    r.add(pf.get(i) / mp.get(i));
                }
                r.sort(null);
                out.append(String.format(
                        Locale.ROOT,
                        "%nBatched receive, %s: portflow_timed_batch / mpsc_batch, median of %d paired rounds = %.1f %%"
                                + " (min %.1f %%, max %.1f %%)%n",
                        bench.substring(bench.indexOf('.') + 1),
                        r.size(),
                        100 * median(r),
                        100 * r.get(0),
                        100 * r.get(r.size() - 1)));
            }
        }
        List<Double> target = ratios.get("ChannelHandoffBenchmark.p2c1 | portflow_timed");
        if (target != null) {
            double m = median(target);
            out.append(String.format(
                    Locale.ROOT,
                    "%nTarget: Portflow full metrics / MpscArrayQueue, 2P->1C, median of %d paired rounds = %.1f %%"
                            + " (target >= %.0f %%): %s%n",
                    target.size(),
                    100 * m,
                    100 * TARGET_RATIO,
                    m >= TARGET_RATIO
                            ? "MET"
                            : String.format(Locale.ROOT, "MISSED by %.1f points", 100 * (TARGET_RATIO - m))));
        }
        return out.toString();
    }

    private static double median(List<Double> sorted) {
        List<Double> s = new ArrayList<>(sorted);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    record Row(
            String benchmark,
            String params,
            double score,
            double error,
            String unit,
            double median,
            double best,
            @Nullable Double allocNorm) {}

    static String summarize(String json) {
        List<Row> rows = rows(JmhJson.parse(json));
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | score (mean) | error (99.9%) | median iteration | best iteration | unit"
                + " | gc.alloc.rate.norm (B/op) |\n");
        out.append("|---|---|---:|---:|---:|---:|---|---:|\n");
        for (Row r : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %,.0f | %,.0f | %,.0f | %,.0f | %s | %s |%n",
                    r.benchmark(),
                    r.params(),
                    r.score(),
                    r.error(),
                    r.median(),
                    r.best(),
                    r.unit(),
                    r.allocNorm() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.allocNorm())));
        }
        // Ratios against the MpscArrayQueue baseline, per benchmark method of ChannelHandoffBenchmark.
        Map<String, Double> baseline = new TreeMap<>();
        for (Row r : rows) {
            if (r.benchmark().startsWith("ChannelHandoffBenchmark.")
                    && r.params().equals("channel=mpsc")) {
                baseline.put(r.benchmark(), r.score());
            }
        }
        if (!baseline.isEmpty()) {
            Map<String, Row> baseRows = new TreeMap<>();
            for (Row r : rows) {
                if (r.benchmark().startsWith("ChannelHandoffBenchmark.")
                        && r.params().equals("channel=mpsc")) {
                    baseRows.put(r.benchmark(), r);
                }
            }
            out.append(
                    "\n| benchmark | channel | relative to MpscArrayQueue (mean) | (median iteration) | (best iteration) |\n");
            out.append("|---|---|---:|---:|---:|\n");
            for (Row r : rows) {
                Row base = baseRows.get(r.benchmark());
                if (base != null && base.score() > 0) {
                    out.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %.1f %% | %.1f %% | %.1f %% |%n",
                            r.benchmark(),
                            r.params().replace("channel=", ""),
                            100 * r.score() / base.score(),
                            100 * r.median() / base.median(),
                            100 * r.best() / base.best()));
                }
            }
            for (Row r : rows) {
                if (r.benchmark().equals("ChannelHandoffBenchmark.p2c1")
                        && r.params().equals("channel=portflow_timed")) {
                    double ratio = r.score() / baseline.getOrDefault(r.benchmark(), Double.NaN);
                    out.append(String.format(
                            Locale.ROOT,
                            "%nTarget: Portflow full metrics / MpscArrayQueue, 2P->1C = %.1f %% (target >= %.0f %%): %s%n",
                            100 * ratio,
                            100 * TARGET_RATIO,
                            ratio >= TARGET_RATIO
                                    ? "MET"
                                    : String.format(
                                            Locale.ROOT, "MISSED by %.1f points", 100 * (TARGET_RATIO - ratio))));
                }
            }
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static List<Row> rows(Object parsed) {
        List<Row> rows = new ArrayList<>();
        for (Object o : (List<Object>) parsed) {
            Map<String, @Nullable Object> result = (Map<String, @Nullable Object>) o;
            String benchmark =
                    ((String) JmhJson.require(result, "benchmark")).replaceFirst("^.*\\.([^.]+\\.[^.]+)$", "$1");
            StringBuilder params = new StringBuilder();
            Object p = result.get("params");
            if (p instanceof Map<?, ?> map) {
                map.forEach((k, v) -> params.append(params.isEmpty() ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(v));
            }
            Map<String, @Nullable Object> primary =
                    (Map<String, @Nullable Object>) JmhJson.require(result, "primaryMetric");
            Double alloc = null;
            Object secondary = result.get("secondaryMetrics");
            if (secondary instanceof Map<?, ?> map && map.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
                alloc = JmhJson.number(norm.get("score"));
            }
            List<Double> iterations = new ArrayList<>();
            if (primary.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    for (Object x : (List<Object>) fork) {
                        iterations.add(JmhJson.number(x));
                    }
                }
            }
            iterations.sort(null);
            double median = Double.NaN;
            double best = Double.NaN;
            if (!iterations.isEmpty()) {
                int n = iterations.size();
                median = n % 2 == 1 ? iterations.get(n / 2) : (iterations.get(n / 2 - 1) + iterations.get(n / 2)) / 2;
                best = iterations.get(n - 1);
            }
            rows.add(new Row(
                    benchmark,
                    params.toString(),
                    JmhJson.number(primary.get("score")),
                    JmhJson.number(primary.get("scoreError")),
                    (String) JmhJson.require(primary, "scoreUnit"),
                    median,
                    best,
                    alloc));
        }
        return rows;
    }
}
