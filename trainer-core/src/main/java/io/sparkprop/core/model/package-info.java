/**
 * The model as configuration, state and computation: {@link io.sparkprop.core.model.Sequential}
 * (the architecture, a list of layer descriptions), {@link io.sparkprop.core.model.ParamLayout}
 * (offset and shape of every tensor in the one flat parameter vector),
 * {@link io.sparkprop.core.model.Model} (architecture + loss + parameters: what is saved and
 * predicts) and {@link io.sparkprop.core.model.Network} (the bound layer models and their
 * workspaces that run forward and backward passes).
 */
package io.sparkprop.core.model;
