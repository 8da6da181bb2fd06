/**
 * Portflow's one JSON configuration ({@link dev.portflow.json.StrictJson}) and the contract's
 * {@code event_time} rule ({@link dev.portflow.json.EventTime}).
 */
module dev.portflow.json {
    requires transitive tools.jackson.databind;
    requires transitive org.jspecify;

    exports dev.portflow.json;
}
