package dev.theta.spark;

import java.io.Serializable;

/**
 * Builds the model's plugins in whichever JVM calls it: the driver once, each executor once per run. Plugin objects
 * are not serialisable; a source is, so Spark ships it to the executors in place of the plugins.
 */
@FunctionalInterface
public interface ModelSource extends Serializable {
    ModelPlugins build();
}
