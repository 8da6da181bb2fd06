package dev.portflow.trace;

import dev.portflow.component.Emitter;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import java.util.List;

/**
 * The failure trace tests' pipeline: {@code gen} emits 0..5 into {@code check}, which throws on 3
 * and passes the rest to {@code good}; its {@code err_n} port goes to {@code dead}, which keeps the
 * envelopes.
 */
public final class FailingStage {

    private FailingStage() {}

    /** Builds pipeline {@code failing}, traced by {@code tracing}, and starts it. */
    public static Pipeline start(Tracing tracing, List<ErrorEnvelope> errors) {
        return Pipeline.builder("failing")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 6; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("check", Integer.class, Integer.class, (Integer n, Emitter<Integer> out) -> {
                    if (n == 3) {
                        throw new IllegalArgumentException("three");
                    }
                    out.emit(n);
                })
                .sink("good", Integer.class, n -> {})
                .sink("dead", ErrorEnvelope.class, errors::add)
                .connect("gen.out_n", "check.in_n")
                .connect("check.out_n", "good.in_n")
                .connect("check.err_n", "dead.in_errors")
                .build()
                .start();
    }
}
