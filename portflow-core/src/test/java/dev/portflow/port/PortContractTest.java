package dev.portflow.port;

import static dev.portflow.port.PortTesting.assertOutputDrops;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Port names, connecting, using ports wrongly: every misuse is a clear, early error. */
class PortContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"in_orders", "in_a", "in_orders_2", "in_x9"})
    void validInputNames(String name) {
        assertThat(new InputPort<>(name, Msg.class).name()).isEqualTo(name);
        assertThat(PortName.isInput(name)).isTrue();
        assertThat(PortName.isOutput(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"out_orders", "err_orders", "out_a1", "err_x"})
    void validOutputNames(String name) {
        assertThat(new OutputPort<>(name, Msg.class).name()).isEqualTo(name);
        assertThat(PortName.isOutput(name)).isTrue();
        assertThat(PortName.isInput(name)).isFalse();
        assertThat(PortName.isError(name)).isEqualTo(name.startsWith("err_"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "orders",
                "in_",
                "input_orders",
                "In_orders",
                "IN_ORDERS",
                "in-orders",
                "in_Orders",
                "in_or ders",
                "out_orders",
                "err_orders",
                " in_orders"
            })
    void invalidInputNamesAreRejectedClearly(String name) {
        assertThatThrownBy(() -> new InputPort<>(name, Msg.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid input port name '" + name + "'")
                .hasMessageContaining("in_<name>");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {"", "orders", "out_", "err_", "output_x", "Out_x", "out-x", "in_orders", "error_x", "out_x!"})
    void invalidOutputNamesAreRejectedClearly(String name) {
        assertThatThrownBy(() -> new OutputPort<>(name, Msg.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid output port name '" + name + "'")
                .hasMessageContaining("out_<name>")
                .hasMessageContaining("err_<name>");
    }

    @Test
    void samePairConnectsOnlyOnce() {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(out, in);
        assertThatThrownBy(() -> Ports.connect(out, in, 4, OverflowPolicy.DROP_NEWEST))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already connected")
                .hasMessageContaining("out_msgs")
                .hasMessageContaining("in_msgs");
        assertThat(out.connections()).hasSize(1);
        assertThat(in.connections()).hasSize(1);
    }

    @Test
    void aClosedOutputCannotBeConnected() {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        Ports.connect(out, new InputPort<>("in_a", Msg.class));
        out.close();
        assertThatThrownBy(() -> Ports.connect(out, new InputPort<>("in_b", Msg.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void defaultConnectionIsBlockWith1024() {
        Connection<Msg> c =
                Ports.connect(new OutputPort<>("out_msgs", Msg.class), new InputPort<>("in_msgs", Msg.class));
        assertThat(c.capacity()).isEqualTo(1024);
        assertThat(c.options().overflow()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(c.toString())
                .contains("out_msgs")
                .contains("in_msgs")
                .contains("BLOCK")
                .contains("1024");
    }

    @Test
    void sendingBeforeConnectingIsAClearError() {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        assertThat(out.isConnected()).isFalse();
        assertThatThrownBy(() -> out.send(Msg.of(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("output port 'out_msgs'")
                .hasMessageContaining("not connected");
        assertThat(out.metrics().messagesDropped()).isZero();
    }

    @Test
    void receivingBeforeConnectingIsAClearError() {
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        assertThat(in.isConnected()).isFalse();
        assertThat(in.isEndOfStream()).isFalse();
        for (var call : new org.assertj.core.api.ThrowableAssert.ThrowingCallable[] {
            in::receive, () -> in.receive(Duration.ofMillis(1)), in::poll
        }) {
            assertThatThrownBy(call)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("input port 'in_msgs'")
                    .hasMessageContaining("not connected");
        }
    }

    @Test
    void sendAfterCloseIsClosedAndCounted() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(out, in, 4, OverflowPolicy.BLOCK);
        out.close();
        out.close(); // idempotent
        assertThat(out.send(Msg.of(1))).isEqualTo(SendOutcome.CLOSED);
        assertOutputDrops(out.metrics(), Map.of("closed", 1L));
        assertThat(out.metrics().messagesOut()).isZero();
        assertThat(in.receive()).isNull();
        assertThat(in.isEndOfStream()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -1024, Integer.MIN_VALUE})
    void capacityBelowOneIsAConfigurationError(int capacity) {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        assertThatThrownBy(() -> Ports.connect(out, in, capacity, OverflowPolicy.BLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be >= 1");
        assertThatThrownBy(() -> ConnectionOptions.defaults().capacity(capacity))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.isConnected()).isFalse();
        assertThat(in.isConnected()).isFalse();
    }

    @Test
    void capacityOneIsFine() {
        assertThatCode(() -> Ports.connect(
                        new OutputPort<>("out_msgs", Msg.class),
                        new InputPort<>("in_msgs", Msg.class),
                        1,
                        OverflowPolicy.BLOCK))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void nonPositiveTimeoutIsAConfigurationError(long millis) {
        assertThatThrownBy(() -> ConnectionOptions.defaults().timeout(Duration.ofMillis(millis)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be positive");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aMessageOfTheWrongTypeIsRefused() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Connection<Msg> c = Ports.connect(out, in, 4, OverflowPolicy.BLOCK);
        OutputPort raw = out;
        assertThatThrownBy(() -> raw.send("not a Msg"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out_msgs")
                .hasMessageContaining(Msg.class.getName())
                .hasMessageContaining("java.lang.String");
        assertThat(c.depth()).isZero();
        assertThat(out.metrics().messagesOut()).isZero();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void incompatiblePortTypesDoNotConnect() {
        OutputPort out = new OutputPort<>("out_text", String.class);
        InputPort in = new InputPort<>("in_msgs", Msg.class);
        assertThatThrownBy(() -> Ports.connect(out, in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining(Msg.class.getName());
    }

    @Test
    void aSubtypeOutputConnectsToASupertypeInput() throws Exception {
        OutputPort<String> out = new OutputPort<>("out_text", String.class);
        InputPort<CharSequence> in = new InputPort<>("in_chars", CharSequence.class);
        Ports.connect(out, in);
        out.send("hello");
        assertThat(in.receive()).isEqualTo("hello");
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose: the null checks are what is tested
    void aNullMessageIsRefused() {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        Connection<Msg> c = Ports.connect(out, new InputPort<>("in_msgs", Msg.class), 4, OverflowPolicy.BLOCK);
        assertThatThrownBy(() -> out.send(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null")
                .hasMessageContaining("out_msgs");
        assertThat(c.depth()).isZero();
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose: the null checks are what is tested
    void nullTypeAndNullOptionsAreRefused() {
        assertThatThrownBy(() -> new OutputPort<>("out_x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new InputPort<>("in_x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Ports.connect(
                        new OutputPort<>("out_x", Msg.class), new InputPort<>("in_x", Msg.class), (ConnectionOptions)
                                null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ConnectionOptions.defaults().overflow(null)).isInstanceOf(NullPointerException.class);
    }
}
