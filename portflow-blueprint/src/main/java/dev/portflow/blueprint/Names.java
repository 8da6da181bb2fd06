package dev.portflow.blueprint;

import java.util.regex.Pattern;

/** Naming rules. */
final class Names {

    /** Pipeline and component names (the runtime's rule). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private Names() {}
}
