/**
 * Losses (softmax cross-entropy fused with the output, sigmoid binary cross-entropy from logits,
 * MSE, MAE, Huber) and {@link io.sparkprop.core.loss.LossSums}, the additive loss/accuracy
 * counters that the local and the distributed trainer both sum.
 */
package io.sparkprop.core.loss;
