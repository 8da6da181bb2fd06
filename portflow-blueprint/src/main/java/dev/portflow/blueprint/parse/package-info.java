/**
 * YAML text to the model: the text's size and characters, YAML composed without recursion, environment
 * variables substituted, and the shape of each section, with a problem for each thing wrong and a model
 * of the rest. Internal: uses the model only.
 */
@NullMarked
package dev.portflow.blueprint.parse;

import org.jspecify.annotations.NullMarked;
