/**
 * Layers. A {@link io.sparkprop.core.layer.Layer} is an immutable description (a record such as
 * {@code Dense(128)} or {@code ReLU()}) that infers its output shape and parameter tensors from
 * its input shape and binds to a {@link io.sparkprop.core.layer.LayerModel}, which does the maths
 * on a flat parameter vector. This is the split of Spark's {@code ml/ann} Layer/LayerModel.
 */
package io.sparkprop.core.layer;
