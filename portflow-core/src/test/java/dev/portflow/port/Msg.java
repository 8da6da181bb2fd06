package dev.portflow.port;

/** Test message: which producer sent it and its sequence number within that producer. */
record Msg(int producer, long seq) {

    static Msg of(long seq) {
        return new Msg(0, seq);
    }
}
