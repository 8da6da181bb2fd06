package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;

/**
 * One end of a connection, {@code component.port}.
 *
 * @param component     the component's name
 * @param port          the port's name
 * @param position      where the component name is
 * @param portPosition  where the port name is
 */
public record Endpoint(String component, String port, Position position, Position portPosition) {

    @Override
    public String toString() {
        return component + "." + port;
    }
}
