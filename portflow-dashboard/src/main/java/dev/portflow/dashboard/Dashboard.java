package dev.portflow.dashboard;

import dev.portflow.http.PortflowServer;
import dev.portflow.http.ServerExtension;
import dev.portflow.json.StrictJson;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineView;
import dev.portflow.runtime.ScalingDecision;
import dev.portflow.trace.RecentTraces;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live dashboard at {@code GET /} of the runtime's server: the pipeline as a graph with each
 * buffer's fill, throughput, message age and drops, each component's busy/idle/backpressured
 * shares and workers, the bottleneck and why (and the autoscaled stages still widening),
 * 5-minute charts of any edge or component, updated over Server-Sent Events, and, for a pipeline
 * that traces, the slowest recent traced messages with each stage's wait and handling.
 *
 * <pre>{@code
 * PortflowServer server = PortflowServer.builder(pipeline).extension(new Dashboard()).build();
 * }</pre>
 *
 * <p>One sampler thread reads the pipeline once per interval whatever the number of open pages;
 * the history is a fixed-size ring per series. See {@code docs/dashboard.md} for the endpoints and
 * their JSON.
 */
public final class Dashboard implements ServerExtension {

    /** Default sampling interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Default samples kept per series: 5 minutes at the default interval. */
    public static final int DEFAULT_HISTORY = 300;
    /** Event streams open at once at most; more are answered 503. */
    public static final int MAX_STREAMS = 64;

    private static final String JSON = "application/json";
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final String POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
    /** A stream with nothing new for this long sends a comment, so proxies and browsers keep it open. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** snake_case JSON of frames, topology and the other answers (package-private: tests render with it). */
    static final JsonMapper MAPPER = StrictJson.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final Duration interval;
    private final int historySize;
    private final StaticAssets assets = new StaticAssets();
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    /** Set once the dashboard has joined a server's routing; {@code null} before. */
    private volatile @Nullable Serving serving;

    private final Object sampling = new Object(); // one sample at a time: the sampler keeps previous readings
    private @Nullable ScheduledExecutorService ticker;
    private @Nullable ScheduledFuture<?> ticks;

    /**
     * The pipeline a dashboard serves and what it keeps of it, all made when it joins a server's routing;
     * {@code traces} is null when the pipeline does not trace.
     */
    private record Serving(
            PipelineView pipeline,
            Topology topology,
            PipelineSampler sampler,
            History history,
            FrameHub hub,
            @Nullable RecentTraces traces) {}

    /** A dashboard sampling every second and keeping 5 minutes. */
    public Dashboard() {
        this(DEFAULT_INTERVAL, DEFAULT_HISTORY);
    }

    /**
     * A dashboard sampling every {@code interval} (at least 10 ms) and keeping {@code historySize}
     * samples per series (1..100000).
     */
    public Dashboard(Duration interval, int historySize) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval must be at least 10 ms, was " + interval);
        }
        if (historySize < 1 || historySize > 100_000) {
            throw new IllegalArgumentException("history size must be within 1..100000, was " + historySize);
        }
        this.interval = interval;
        this.historySize = historySize;
    }

    @Override
    public synchronized void routing(HttpRouting.Builder routing, Pipeline pipeline) {
        if (serving != null) {
            throw new IllegalStateException("a Dashboard serves one server; make one per PortflowServer");
        }
        Topology topology = Topology.of(pipeline, interval.toMillis(), historySize);
        PipelineSampler sampler = new PipelineSampler(pipeline, topology);
        History history = new History(topology, historySize);
        FrameHub hub = new FrameHub(sampler.sample(System.nanoTime(), System.currentTimeMillis()));
        Serving served = new Serving(pipeline, topology, sampler, history, hub, pipeline.recentTraces());
        this.serving = served;
        routing.get("/", (req, res) -> asset(res, assets.own("index.html")))
                .get(
                        "/dashboard/static/{file}",
                        (req, res) -> asset(
                                res, assets.own(req.path().pathParameters().get("file"))))
                .get(
                        "/dashboard/vendor/{file}",
                        (req, res) -> asset(
                                res, assets.vendor(req.path().pathParameters().get("file"))))
                .get("/dashboard/api/topology", (req, res) -> json(res, 200, topology))
                .get("/dashboard/api/frame", (req, res) -> json(res, 200, hub.latest()))
                .get("/dashboard/api/history", (req, res) -> history(history, req, res))
                .get("/dashboard/api/decisions", (req, res) -> decisions(served, req, res))
                .get("/dashboard/api/traces", (req, res) -> traces(served, req, res))
                .get("/dashboard/events", (req, res) -> events(hub, res));
    }

    @Override
    public boolean claims(String path) {
        return path.equals("/") || path.equals("/dashboard") || path.startsWith("/dashboard/");
    }

    @Override
    public synchronized void started(PortflowServer server) {
        if (ticker != null || serving == null) {
            return;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portflow-dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        ticker = scheduler;
        long period = interval.toNanos();
        ticks = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    /** Takes the last sample (the pipeline has stopped by now) and ends every event stream after it. */
    @Override
    public void stopping() {
        ScheduledExecutorService scheduled;
        ScheduledFuture<?> scheduledTicks;
        synchronized (this) {
            scheduled = ticker;
            scheduledTicks = ticks;
        }
        Serving served = serving;
        if (served == null) {
            return;
        }
        if (scheduled != null) {
            if (scheduledTicks != null) { // set with the ticker
                scheduledTicks.cancel(false);
            }
            scheduled.shutdown();
            try {
                scheduled.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tick();
        served.hub().close();
    }

    /** The most recent frame (what every open page shows now). */
    Frame latestFrame() {
        Serving served = serving;
        if (served == null) {
            throw new IllegalStateException("the dashboard is not part of a server yet");
        }
        return served.hub().latest();
    }

    private void tick() {
        Serving served = serving;
        if (served == null) {
            return; // scheduled only once serving
        }
        try {
            synchronized (sampling) {
                Frame frame = served.sampler().sample(System.nanoTime(), System.currentTimeMillis());
                served.history().append(frame);
                served.hub().publish(frame);
            }
        } catch (RuntimeException e) {
            // A failed sample must not end the schedule (a thrown exception would cancel it for good).
            System.getLogger("dev.portflow.dashboard").log(System.Logger.Level.WARNING, "dashboard sample failed", e);
        }
    }

    private static void history(History history, ServerRequest req, ServerResponse res) {
        var query = req.query();
        Optional<Map<String, Object>> found;
        if (query.contains("edge")) {
            found = history.edge(query.get("edge"));
        } else if (query.contains("node")) {
            found = history.node(query.get("node"));
        } else {
            json(res, 400, Map.of("error", "bad_request", "message", "name an element: ?edge=ID or ?node=NAME"));
            return;
        }
        if (found.isPresent()) {
            json(res, 200, found.get());
        } else {
            json(res, 404, Map.of("error", "not_found", "message", "no such edge or node in this pipeline"));
        }
    }

    /** A node's latest scaling decisions: fetched by the page when a frame says they changed. */
    private static void decisions(Serving served, ServerRequest req, ServerResponse res) {
        var query = req.query();
        if (!query.contains("node")) {
            json(res, 400, Map.of("error", "bad_request", "message", "name a node: ?node=NAME"));
            return;
        }
        String name = query.get("node");
        Optional<Topology.Node> node = served.topology().nodes().stream()
                .filter(n -> n.name().equals(name))
                .findFirst();
        if (node.isEmpty()) {
            json(res, 404, Map.of("error", "not_found", "message", "no such node in this pipeline"));
            return;
        }
        // a remote buffer is not a component of this pipeline: it has no workers to scale
        List<ScalingDecision> decisions = node.get().kind().equals(Topology.REMOTE)
                ? List.of()
                : served.pipeline().scalingDecisions(name);
        json(res, 200, DecisionLog.json(node.get(), decisions));
    }

    /** The slowest traced messages of the last 5 minutes: fetched by the page every few seconds. */
    private static void traces(Serving served, ServerRequest req, ServerResponse res) {
        var query = req.query();
        int limit;
        try {
            limit = TraceList.limit(query.contains("limit") ? query.get("limit") : null);
        } catch (IllegalArgumentException e) {
            json(res, 400, Map.of("error", "bad_request", "message", String.valueOf(e.getMessage())));
            return;
        }
        json(res, 200, TraceList.json(served.traces(), limit));
    }

    private void events(FrameHub hub, ServerResponse res) {
        if (!streams.tryAcquire()) {
            res.header(HeaderNames.RETRY_AFTER, "5");
            json(
                    res,
                    503,
                    Map.of(
                            "error",
                            "too_many_streams",
                            "message",
                            "at most " + MAX_STREAMS + " dashboard event streams are open at once"));
            return;
        }
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder()
                    .comment("portflow dashboard")
                    .reconnectDelay(Duration.ofSeconds(2))
                    .build());
            long seen = -1;
            while (true) {
                Frame frame = hub.awaitNewer(seen, KEEP_ALIVE);
                if (frame != null) {
                    seen = frame.seq();
                    sink.emit(SseEvent.builder()
                            .name("frame")
                            .data(MAPPER.writeValueAsString(frame))
                            .build());
                } else if (hub.isClosed()) {
                    return;
                } else {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException e) {
            // the page went away
        } finally {
            streams.release();
        }
    }

    private static void asset(ServerResponse res, Optional<StaticAssets.Asset> asset) {
        if (asset.isEmpty()) {
            json(res, 404, Map.of("error", "not_found", "message", "no such dashboard file"));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.get().contentType());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(CSP, POLICY);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.send(asset.get().bytes());
    }

    private static void json(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }
}
