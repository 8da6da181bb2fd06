/**
 * The JSON every Portflow module reads and writes: one strict Jackson configuration
 * ({@link dev.portflow.json.StrictJson}) and the {@code event_time} rule of the contract
 * ({@link dev.portflow.json.EventTime}).
 */
@NullMarked
package dev.portflow.json;

import org.jspecify.annotations.NullMarked;
