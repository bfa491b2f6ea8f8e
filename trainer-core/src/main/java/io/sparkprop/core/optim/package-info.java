/**
 * Optimizers as settings records ({@link io.sparkprop.core.optim.SGD},
 * {@link io.sparkprop.core.optim.Adam}, ...), their state as flat arrays
 * ({@link io.sparkprop.core.optim.OptimizerState}), and the update as small static functions
 * ({@link io.sparkprop.core.optim.Optimizers}) shared by the local trainer, the Spark driver and
 * the tests, as PyTorch's functional optimizers. Also gradient clipping and learning-rate
 * schedules.
 */
package io.sparkprop.core.optim;
