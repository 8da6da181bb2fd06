package dev.portflow.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The page's files from the class path: the dashboard's own ({@code dev/portflow/dashboard/static/})
 * and uPlot's from its WebJar. Only plain file names are looked up, so no request can reach any
 * other resource; files are read once and kept.
 */
final class StaticAssets {

    /** A file and its media type. */
    @SuppressWarnings("ArrayRecordComponent") // served as-is, read once and never modified
    record Asset(byte[] bytes, String contentType) {}

    private static final Pattern OWN_NAME = Pattern.compile("[a-z0-9-]+\\.(js|css|html|svg)");
    private static final Map<String, String> VENDOR_FILES =
            Map.of("uPlot.esm.js", "uPlot.esm.js", "uPlot.min.css", "uPlot.min.css");
    private static final String OWN_DIR = "dev/portflow/dashboard/static/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final ClassLoader loader = StaticAssets.class.getClassLoader();
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final String uplotDir;

    StaticAssets() {
        this.uplotDir = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    }

    /** One of the dashboard's files, e.g. {@code app.js}. */
    Optional<Asset> own(@Nullable String name) {
        if (name == null || !OWN_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(OWN_DIR + name, this::load);
    }

    /** One of uPlot's files: {@code uPlot.esm.js} or {@code uPlot.min.css}. */
    Optional<Asset> vendor(@Nullable String name) {
        String file = name == null ? null : VENDOR_FILES.get(name);
        return file == null ? Optional.empty() : cache.computeIfAbsent(uplotDir + file, this::load);
    }

    private Optional<Asset> load(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), contentType(resource)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String contentType(String resource) {
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        return switch (extension) {
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "html" -> "text/html; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }

    /** The WebJar's version, from its Maven metadata, so upgrading the dependency needs no code change. */
    private String uplotVersion() {
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
