package dev.portflow.blueprint.testrecipes;

/** Not a component at all: the factory must say so. */
public class Filter {

    public Filter(java.util.Map<String, Object> config) {}
}
