package dev.portflow.runtime;

import java.util.List;

/**
 * What a pipeline says about one of its components.
 *
 * @param name    the component's name
 * @param kind    its role
 * @param inputs  its input port names
 * @param outputs its output port names (data and error ports)
 */
public record ComponentInfo(String name, ComponentKind kind, List<String> inputs, List<String> outputs) {
}
