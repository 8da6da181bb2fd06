package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.fixtures.Collect;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.component.Sink;
import dev.portflow.runtime.ComponentKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe SPI: typed config with defaults, the context a factory gets, user classes from lib jars. */
class RecipeSpiTest {

    @TempDir
    Path dir;

    /** A sink recipe with one key of every type; remembers the context its factory got. */
    private static Recipe everyType(AtomicReference<RecipeContext> seen) {
        return Recipe.builder("every_type", ComponentKind.SINK)
                .description("takes one key of each type")
                .config(
                        ConfigKey.required("text", ConfigType.STRING, "any text"),
                        ConfigKey.optional("count", ConfigType.INTEGER, 7L, "an integer")
                                .range(0, 100),
                        ConfigKey.optional("ratio", ConfigType.NUMBER, 0.5, "a number"),
                        ConfigKey.optional("enabled", ConfigType.BOOLEAN, true, "a flag"),
                        ConfigKey.optional("wait_ms", ConfigType.DURATION_MS, 250L, "a duration"),
                        ConfigKey.optional("when", ConfigType.EXPRESSION, null, "an expression"),
                        ConfigKey.optional("fields", ConfigType.MAP, null, "a map")
                                .elements(ConfigType.EXPRESSION),
                        ConfigKey.optional("tags", ConfigType.LIST, null, "a list")
                                .elements(ConfigType.STRING),
                        ConfigKey.optional("file", ConfigType.PATH, null, "a path"),
                        ConfigKey.optional("nothing", ConfigType.STRING, null, "left out"))
                .factory(ctx -> {
                    seen.set(ctx);
                    return (Sink<Object>) m -> {};
                })
                .build();
    }

    @Test
    void factoriesGetTypedConfigWithDefaultsAndTheirContext() throws IOException {
        Path file = dir.resolve("sub/typed.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                name: typed
                schemas: {Reading: {type: object}}
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers, config: {count: 1}}
                  - name: all
                    recipe: every_type
                    inputs: [{name: in_readings, schema: Reading}]
                    config:
                      text: 42
                      ratio: 2
                      wait_ms: 1500
                      when: "n > 1"
                      fields: {double: "n * 2"}
                      tags: [a, b]
                      file: ../out/readings.jsonl
                connections:
                  - {from: gen.out_readings, to: all.in_readings}
                """);
        AtomicReference<RecipeContext> seen = new AtomicReference<>();
        BlueprintLoader loader = BlueprintLoader.of(
                RecipeRegistry.builtIns().with(everyType(seen)), getClass().getClassLoader());
        Blueprint blueprint = loader.load(file);
        loader.assemble(blueprint, AssemblyOptions.defaults().withoutServer()).close();

        RecipeContext ctx = Objects.requireNonNull(seen.get(), "the factory was called");
        assertThat(ctx.componentName()).isEqualTo("all");
        assertThat(ctx.pipelineName()).isEqualTo("typed");
        RecipeConfig c = ctx.config();
        assertThat(c.getString("text")).isEqualTo("42");
        assertThat(c.getInt("count")).isEqualTo(7);
        assertThat(c.getDouble("ratio")).isEqualTo(2.0);
        assertThat(c.getBoolean("enabled")).isTrue();
        assertThat(c.getDuration("wait_ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.getString("when")).isEqualTo("n > 1");
        assertThat(c.getMap("fields")).containsExactly(Map.entry("double", "n * 2"));
        assertThat(c.getList("tags")).containsExactly("a", "b");
        assertThat(c.getPath("file"))
                .isEqualTo(dir.resolve("out/readings.jsonl").toAbsolutePath().normalize());
        assertThat(c.has("nothing")).isFalse();
        assertThat(c.getString("nothing")).isNull();
        assertThat(c.asMap().keySet())
                .containsExactly("text", "count", "ratio", "enabled", "wait_ms", "when", "fields", "tags", "file");

        assertThat(ctx.inputPorts()).containsExactly("in_readings");
        assertThat(ctx.outputPorts()).isEmpty();
        assertThat(ctx.portSchema("in_readings"))
                .hasValueSatisfying(s -> assertThat(s.get("type").asString()).isEqualTo("object"));
        assertThat(ctx.portSchema("in_other")).isEmpty();
        assertThat(ctx.schemas()).containsOnlyKeys("Reading");
        assertThat(ctx.blueprintDirectory()).isEqualTo(dir.resolve("sub").toAbsolutePath());
        Path data = ctx.dataDirectory();
        assertThat(data).isEqualTo(dir.resolve("sub/data").toAbsolutePath()).doesNotExist();
        assertThat(ctx.classLoader()).isSameAs(getClass().getClassLoader());
    }

    /** The built-ins plus {@code every_type}, whose config keys have one of each type. */
    private BlueprintLoader everyTypeLoader() {
        return BlueprintLoader.of(
                RecipeRegistry.builtIns().with(everyType(new AtomicReference<>())),
                getClass().getClassLoader());
    }

    @Test
    void typedConfigProblems() {
        BlueprintLoader loader = everyTypeLoader();
        String yaml = """
                name: typed
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - name: all
                    recipe: every_type
                    config:
                      text: {nested: true}
                      count: 101
                      ratio: "0.5"
                      enabled: yes
                      fields: {double: [n]}
                      tags: [a, {b: c}]
                      file: ""
                connections:
                  - {from: gen.out_n, to: all.in_n}
                """;
        assertThat(loader.validate("typed.yaml", yaml).report())
                .isEqualTo(
                        String.join(
                                "\n",
                                "typed.yaml:7:13: config key 'text' must be a string, found a mapping (hint: text: a string, any text)",
                                "typed.yaml:8:14: config key 'count' must be between 0 and 100, was 101 (hint: count: an integer, an integer)",
                                "typed.yaml:9:14: config key 'ratio' must be a number, found the string \"0.5\" (hint: write 0.5 without quotes)",
                                "typed.yaml:10:16: config key 'enabled' must be true or false, found the string \"yes\" (hint: write true or false)",
                                "typed.yaml:11:24: config key 'fields.double' must be an expression (a string), found a list"
                                        + " (hint: quote the expression: \"...\")",
                                "typed.yaml:12:17: config key 'tags[1]' must be a string, found a mapping (hint: tags: a string)",
                                "typed.yaml:13:13: config key 'file' must not be empty (hint: file: a path (a string), a path)"));
    }

    @Test
    void notANumberIsAProblemOfANumberKeyWithoutBounds() {
        BlueprintLoader loader = everyTypeLoader();
        String yaml = """
                name: typed
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
                  - {name: all, recipe: every_type, config: {text: t, ratio: .nan}}
                connections:
                  - {from: gen.out_n, to: all.in_n}
                """;
        assertThat(loader.validate("nan.yaml", yaml).report())
                .isEqualTo(
                        "nan.yaml:4:62: config key 'ratio' must be a number, was NaN (hint: ratio: a number, a number)");
    }

    @Test
    void userClassesFromLibJars() throws Exception {
        Path jar = compileJar("com.acme.JarSink", """
                package com.acme;
                public class JarSink implements dev.portflow.component.Sink<Object> {
                    @Override
                    public void accept(Object message) {
                        dev.portflow.blueprint.fixtures.Collect.bucket("jar").add(message);
                    }
                }
                """);
        String yaml = """
                name: from_jar
                components:
                  - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers, config: {count: 3}}
                  - {name: sink, class: com.acme.JarSink}
                connections:
                  - {from: gen.out_n, to: sink.in_n}
                """;
        assertThat(Blueprints.loader().validate("jar.yaml", yaml).report())
                .startsWith("jar.yaml:4:25: class 'com.acme.JarSink' not found");

        Collect.bucket("jar").clear();
        try (BlueprintLoader loader = BlueprintLoader.withLibJars(List.of(jar))) {
            Blueprint b = loader.validate("jar.yaml", yaml).orThrow();
            try (Assembly a = loader.assemble(b, AssemblyOptions.defaults().withoutServer())
                    .start()) {
                assertThat(a.pipeline().awaitTermination(Duration.ofSeconds(10)))
                        .isTrue();
            }
        }
        assertThat(Collect.bucket("jar")).hasSize(3);
    }

    private Path compileJar(String className, String source) throws IOException {
        Path src = dir.resolve("src/" + className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classpath = String.join(
                java.io.File.pathSeparator,
                location(Sink.class),
                location(Collect.class),
                location(Configurable.class));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, src.toString());
        assertThat(rc).as("javac exit code").isZero();
        Path jar = dir.resolve("acme.jar");
        String entry = className.replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sink recipe making a {@link dev.portflow.blueprint.fixtures.Tally}, which is {@code @SingleWorker}. */
    private static Recipe.Builder tally() {
        return Recipe.builder("tally", ComponentKind.SINK)
                .description("counts messages")
                .factory(ctx -> new dev.portflow.blueprint.fixtures.Tally());
    }

    private static final String TALLY_ON_TWO_WORKERS = """
            name: tally
            components:
              - {name: gen, class: dev.portflow.blueprint.fixtures.Numbers}
              - {name: count, recipe: tally, workers: 2}
            connections:
              - {from: gen.out_numbers, to: count.in_numbers}
            """;

    @Test
    void aRecipeThatSaysItRunsOnOneWorkerIsRefusedMoreWorkersWhenValidated() {
        BlueprintLoader loader = BlueprintLoader.of(
                RecipeRegistry.builtIns()
                        .with(tally().singleWorker("it counts in one variable").build()),
                getClass().getClassLoader());
        assertThat(loader.validate("tally.yaml", TALLY_ON_TWO_WORKERS).problems())
                .extracting(Problem::format)
                .containsExactly("tally.yaml:4:43: tally 'count' must run on one worker: it counts in one variable"
                        + " (hint: remove workers: (or set workers: 1))");
    }

    @Test
    void aRecipeThatDoesNotSayItButMakesASingleWorkerClassIsRefusedWhenAssembled() {
        BlueprintLoader loader = BlueprintLoader.of(
                RecipeRegistry.builtIns().with(tally().build()), getClass().getClassLoader());
        Validation v = loader.validate("tally.yaml", TALLY_ON_TWO_WORKERS);
        assertThat(v.problems()).as("validation cannot know without making it").isEmpty();
        assertThatThrownBy(() ->
                        loader.assemble(v.orThrow(), AssemblyOptions.defaults().withoutServer()))
                .isInstanceOfSatisfying(
                        BlueprintException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::format)
                                .containsExactly(
                                        "tally.yaml:4:43: tally 'count' must run on one worker: it keeps a running total"
                                                + " (hint: dev.portflow.blueprint.fixtures.Tally is annotated @SingleWorker, though"
                                                + " recipe tally does not say so; remove workers: (or set workers: 1))"));
    }

    @Test
    void nearestNames() {
        assertThat(Suggestions.nearest("fliter", List.of("filter", "map", "split")))
                .isEqualTo("filter");
        assertThat(Suggestions.nearest("jsonl", List.of("jsonl_sink", "log_sink")))
                .isEqualTo("jsonl_sink");
        assertThat(Suggestions.nearest("drop_new", List.of("drop_oldest", "drop_newest")))
                .isEqualTo("drop_newest");
        assertThat(Suggestions.nearest("zzz", List.of("filter", "map"))).isNull();
        assertThat(Suggestions.nearest("m", List.of("map", "merge"))).isEqualTo("map");
    }
}
