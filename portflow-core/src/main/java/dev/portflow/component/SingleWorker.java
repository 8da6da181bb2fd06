package dev.portflow.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component class that must not be called from several threads at once (e.g. it writes one
 * file, or holds an open batch): the pipeline refuses more than one worker for it, with
 * {@link #value() the reason}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SingleWorker {

    /** Why, in a few words for the error message (e.g. "it appends to one file"). */
    String value();
}
