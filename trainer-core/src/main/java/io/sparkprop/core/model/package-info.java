/**
 * The model as configuration, state and computation: {@link io.sparkprop.core.model.Sequential}
 * (the architecture, a list of layer descriptions), {@link io.sparkprop.core.model.ParamLayout}
 * (offset and shape of every tensor in the one flat parameter vector),
 * {@link io.sparkprop.core.model.Model} (architecture + loss + parameters: what is saved and
 * predicts) and {@link io.sparkprop.core.model.Network} (the bound layer models and their
 * workspaces that run forward and backward passes). {@link io.sparkprop.core.model.SparseRows}
 * records which embedding-table rows a gradient buffer holds, so that the buffer is zeroed, sent
 * and summed by rows (a batch of texts touches a few thousand of a table's rows).
 *
 * <p>Name: {@code Model} stays (Keras' name for the trained network). spark.ml's fitted models are
 * {@code NeuralNetClassificationModel}/{@code NeuralNetRegressionModel}, never a bare
 * {@code Model}, so the two meet only inside those classes, which name Spark's by its package.
 * {@link io.sparkprop.core.model.ModelConfig} is the one description of a network as
 * configuration, shared by the CLI config and spark.ml's {@code modelConfig} param.
 */
package io.sparkprop.core.model;
